package io.selectors4j.apps.reliability;

/**
 * Lines a server under attack may write to standard error, as regular expressions for
 * {@link io.selectors4j.testkit.ChildJvm#unexpectedStderr}: anything else there fails the test.
 */
final class ServerLog {
    /** By design: a server out of descriptors says so once, then sheds connections until some close. */
    static final String OUT_OF_DESCRIPTORS =
            ".*out of descriptors: refusing pending connections until some close: accept: \\[Errno 24\\] EMFILE.*";

    private ServerLog() {
    }
}
