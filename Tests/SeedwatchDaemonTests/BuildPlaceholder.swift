// Lets the package load while this test target has no tests of its own yet (SwiftPM refuses a
// target without sources). Delete this file when the first real test file lands here.
