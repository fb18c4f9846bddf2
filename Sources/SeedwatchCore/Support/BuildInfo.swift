/// What this binary is: its version and the Swift compiler that built it (`seedwatch_build_info`).
public enum BuildInfo {
    /// The release; packages add `+git<commit>` in their own version, not here.
    public static let version = "0.1.0"

    /// The compiler's major.minor, decided at compile time.
    public static let swiftVersion: String = {
        #if compiler(>=6.5)
        return "6.5+"
        #elseif compiler(>=6.4)
        return "6.4"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }()
}
