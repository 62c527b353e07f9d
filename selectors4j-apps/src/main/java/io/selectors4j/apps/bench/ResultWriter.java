package io.selectors4j.apps.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.Locale;

/** Writes a {@link BenchResult} for people (text), or for machines (JSON, CSV). */
final class ResultWriter {
    /** The CSV columns, in order. */
    static final String CSV_HEADER = "target,connections,size,pipeline,rate,threads,warmup_s,duration_s,requests,"
            + "requests_per_s,mb_per_s,p50_us,p90_us,p99_us,p999_us,max_us,mean_us,mismatches,connection_errors,"
            + "client_user_s,client_system_s,client_cores,client_alloc_bytes_per_request";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultWriter() {
    }

    static void text(BenchResult r, PrintWriter out) {
        out.printf(Locale.ROOT, "target:      %s over %s, %d connection%s, %d-byte messages, pipeline %d, %s, "
                        + "%d thread%s%n",
                r.target(), r.mode(), r.connections(), r.connections() == 1 ? "" : "s", r.size(), r.pipeline(),
                r.rate() > 0 ? String.format(Locale.ROOT, "fixed rate %,.0f/s", r.rate()) : "closed loop",
                r.threads(), r.threads() == 1 ? "" : "s");
        out.printf(Locale.ROOT, "window:      %.1f s measured after %.1f s of warm-up%n", r.durationSeconds(),
                r.warmupSeconds());
        out.printf(Locale.ROOT, "requests:    %,d (%,.0f/s)%n", r.requests(), r.requestsPerSecond());
        out.printf(Locale.ROOT, "throughput:  %,.2f MB/s echoed%n", r.megabytesPerSecond());
        BenchResult.Latency l = r.latencyMicros();
        out.printf(Locale.ROOT, "latency us:  p50 %,.1f  p90 %,.1f  p99 %,.1f  p99.9 %,.1f  max %,.1f%n",
                l.p50(), l.p90(), l.p99(), l.p999(), l.max());
        out.printf(Locale.ROOT, "mismatches:  %d%n", r.mismatches());
        out.printf(Locale.ROOT, "lost:        %d connection%s%n", r.connectionErrors(),
                r.connectionErrors() == 1 ? "" : "s");
        BenchResult.Client c = r.client();
        out.printf(Locale.ROOT, "client cpu:  user %.3f s, system %.3f s (%.2f cores), %.1f bytes allocated per request%n",
                c.userSeconds(), c.systemSeconds(), c.cores(), c.allocatedBytesPerRequest());
        out.flush();
    }

    static void json(BenchResult r, PrintWriter out) {
        try {
            out.println(JSON.writeValueAsString(r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the result as JSON", e);
        }
        out.flush();
    }

    static void csv(BenchResult r, PrintWriter out) {
        BenchResult.Latency l = r.latencyMicros();
        BenchResult.Client c = r.client();
        out.println(CSV_HEADER);
        out.println(String.join(",", r.target(), num(r.connections()), num(r.size()), num(r.pipeline()),
                num(r.rate()), num(r.threads()), num(r.warmupSeconds()), num(r.durationSeconds()),
                num(r.requests()), num(r.requestsPerSecond()), num(r.megabytesPerSecond()), num(l.p50()),
                num(l.p90()), num(l.p99()), num(l.p999()), num(l.max()), num(l.mean()), num(r.mismatches()),
                num(r.connectionErrors()), num(c.userSeconds()), num(c.systemSeconds()), num(c.cores()),
                num(c.allocatedBytesPerRequest())));
        out.flush();
    }

    private static String num(long value) {
        return Long.toString(value);
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
