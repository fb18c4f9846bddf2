public enum SeedwatchTextModule {}
