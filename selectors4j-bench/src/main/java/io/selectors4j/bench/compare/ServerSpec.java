package io.selectors4j.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One echo server under comparison, as a line of {@code servers.conf}: a name, its kind ({@code java},
 * {@code native}, or {@code java-tls} for a JVM that speaks TLS) and the command line that starts it,
 * with placeholders {@code {java}},
 * {@code {bench}}, {@code {s4j}}, {@code {statsagent}}, {@code {cbuild}}, {@code {port}} and
 * {@code {threads}}.
 *
 * @param name    the name in the tables
 * @param java    whether it is a JVM: its heap is measured, and it is asked for {@code alloc-bytes}
 * @param tls     whether it speaks TLS: it takes the TLS workloads, and the plain ones not
 * @param command the command line, placeholders not yet filled in
 */
record ServerSpec(String name, boolean java, boolean tls, List<String> command) {

    /** Whether the server takes a number of loops or threads: without it, workload (f) runs it as it is. */
    boolean takesThreads() {
        return command.contains("{threads}");
    }

    /** The command line with the placeholders filled in. */
    List<String> commandLine(Map<String, String> values, int port, int threads) {
        List<String> line = new ArrayList<>();
        for (String word : command) {
            String filled = word.replace("{port}", Integer.toString(port)).replace("{threads}", Integer.toString(threads));
            for (Map.Entry<String, String> value : values.entrySet()) {
                filled = filled.replace("{" + value.getKey() + "}", value.getValue());
            }
            line.add(filled);
        }
        return line;
    }

    /** Reads the server list: one server a line, {@code #} comments and blank lines skipped. */
    static List<ServerSpec> read(Path file) throws IOException {
        List<ServerSpec> specs = new ArrayList<>();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            if (words.length < 3 || !List.of("java", "native", "java-tls").contains(words[1])) {
                throw new IOException(file + ": expected 'NAME java|native|java-tls COMMAND...', got: " + raw);
            }
            specs.add(new ServerSpec(words[0], !words[1].equals("native"), words[1].equals("java-tls"),
                    List.copyOf(Arrays.asList(words).subList(2, words.length))));
        }
        return specs;
    }
}
