package io.selectors4j.apps;

/** The program {@link LauncherTest} puts in its stand-in for s4j.jar: prints what it was given. */
public final class LauncherProbe {
    private LauncherProbe() {
    }

    /** Prints "probe" and the arguments on one line. */
    public static void main(String[] args) {
        System.out.println(("probe " + String.join(" ", args)).strip());
    }
}
