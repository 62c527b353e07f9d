/**
 * Test support shared by every module's tests (the core's test-jar, a test-scoped dependency of the
 * apps): child JVMs watched from outside, /proc readers, loopback clients, free ports, the loop
 * backends the loop tests run on ({@link io.selectors4j.testkit.LoopBackends}), and the rules for what
 * a test needs from the machine ({@link io.selectors4j.testkit.Needs}). One helper per job, so
 * a fix to one (a port retry, a /proc field) reaches every test.
 */
package io.selectors4j.testkit;
