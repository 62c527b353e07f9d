package io.selectors4j.loop;

/**
 * The loop's logging through {@link System.Logger}, made safe for the moments a server most needs to
 * report: out of descriptors, the first log record (which may need to open files such as the time-zone
 * data) fails, and the record then goes to standard error as one plain line instead of killing the loop.
 */
final class LoopLog {
    private final System.Logger logger;

    LoopLog(Class<?> owner) {
        this.logger = System.getLogger(owner.getName());
    }

    /** Logs {@code message} at {@code level} with {@code error} (may be null); never throws. */
    void log(System.Logger.Level level, String message, Throwable error) {
        try {
            if (error == null) {
                logger.log(level, message);
            } else {
                logger.log(level, message, error);
            }
        } catch (RuntimeException | Error loggingFailed) {
            System.err.println(level + " " + logger.getName() + ": " + message + (error == null ? "" : ": " + error));
        }
    }
}
