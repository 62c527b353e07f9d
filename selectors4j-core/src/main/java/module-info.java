/**
 * selectors4j: Python's {@code select} and {@code selectors} modules for Java, on the Foreign Function
 * and Memory API. The {@code sys} package holds every native call and is not exported.
 */
module io.selectors4j {
    exports io.selectors4j;
    exports io.selectors4j.net;
    exports io.selectors4j.select;
    exports io.selectors4j.selectors;
    exports io.selectors4j.loop;
}
