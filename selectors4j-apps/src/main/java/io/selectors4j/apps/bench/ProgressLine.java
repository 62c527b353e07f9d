package io.selectors4j.apps.bench;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * What {@code s4j bench} tells on stderr while it runs: a progress line once a second (rewritten in
 * place on a terminal) and, for scripts, the phase marks {@code connected}, {@code measure} and
 * {@code done}, each on a line of its own.
 */
final class ProgressLine implements LoadGenerator.Listener {
    private final PrintWriter err;
    private final boolean show;
    private final boolean inPlace;
    private final boolean marks;
    private boolean shown;

    ProgressLine(PrintWriter err, boolean show, boolean inPlace, boolean marks) {
        this.err = err;
        this.show = show;
        this.inPlace = inPlace;
        this.marks = marks;
    }

    @Override
    public void warmup() {
        mark("connected");
    }

    @Override
    public void measuring() {
        mark("measure");
    }

    @Override
    public void progress(long second, long lastSecond, long total, boolean warmup) {
        if (!show) {
            return;
        }
        String text = String.format(Locale.ROOT, "%4d s  %-9s %,12d req/s  %,14d requests", second,
                warmup ? "warm-up" : "measuring", lastSecond, total);
        if (inPlace) {
            err.print("\r" + text);
            shown = true;
        } else {
            err.println(text);
        }
        err.flush();
    }

    @Override
    public void windowClosed() {
        if (shown) {
            err.println();
        }
        mark("done");
    }

    private void mark(String phase) {
        if (marks) {
            if (shown) {
                err.println();
                shown = false;
            }
            err.println(phase);
            err.flush();
        }
    }
}
