package io.selectors4j.apps;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version line of {@code s4j}, from the Maven project version written into the build. */
public final class VersionProvider implements IVersionProvider {

    /** {@code s4j} followed by the project version, such as {@code s4j 0.1.0}. */
    @Override
    public String[] getVersion() {
        return new String[] {"s4j " + version()};
    }

    private static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the build");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
