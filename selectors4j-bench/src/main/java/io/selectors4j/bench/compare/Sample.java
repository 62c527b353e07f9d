package io.selectors4j.bench.compare;

/**
 * One server's figures in one round of one workload. A figure that could not be read is
 * {@link Double#NaN}.
 *
 * @param requestsPerSecond  echoed requests per second (the load generator's count)
 * @param megabytesPerSecond payload echoed per second, 10^6 bytes
 * @param p50Micros          median latency
 * @param p99Micros          99th percentile
 * @param p999Micros         99.9th percentile
 * @param userMicrosPerRequest   server CPU time in user mode per request
 * @param systemMicrosPerRequest server CPU time in the kernel per request
 * @param syscallsPerRequest     server system calls per request (perf)
 * @param rssMebibytes           server resident set at the end of the window
 * @param allocatedBytesPerRequest server heap allocation per request (the stats hook)
 * @param clean              every byte came back right on every connection
 */
record Sample(double requestsPerSecond, double megabytesPerSecond, double p50Micros, double p99Micros,
              double p999Micros, double userMicrosPerRequest, double systemMicrosPerRequest,
              double syscallsPerRequest, double rssMebibytes, double allocatedBytesPerRequest, boolean clean) {
}
