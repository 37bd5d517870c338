package dev.panic;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What made a run, so that its results can be traced: the PANIC version, the JVM and operating
 * system, and the version of each platform and embedder it used (an embedder's identity names its
 * weights). Saved in {@code run.json}; a run's rules and their settings are in its spec.
 *
 * @param panic      PANIC's version ({@code development} when run from classes)
 * @param java       the JVM: version and vendor
 * @param os         the operating system and architecture
 * @param platforms  platform id to its version, for the platforms of the run's network
 * @param embedders  embedder id to its identity (model and weights)
 */
public record Provenance(String panic, String java, String os, Map<String, String> platforms,
                         Map<String, String> embedders) {

    private static final Provenance UNKNOWN = new Provenance("unknown", "unknown", "unknown", Map.of(), Map.of());

    /** Copies the maps. */
    public Provenance {
        panic = panic == null ? "unknown" : panic;
        java = java == null ? "unknown" : java;
        os = os == null ? "unknown" : os;
        platforms = platforms == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(platforms));
        embedders = embedders == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(embedders));
    }

    /** What a run saved before provenance was recorded reads back as. */
    public static Provenance unknown() {
        return UNKNOWN;
    }

    /** PANIC's own version, from its jar's manifest, or {@code development} when run from classes. */
    public static String panicVersion() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** This JVM and operating system, with the given platforms' and embedders' versions. */
    public static Provenance here(Map<String, String> platforms, Map<String, String> embedders) {
        return new Provenance(panicVersion(), System.getProperty("java.version") + " ("
                + System.getProperty("java.vendor") + ")", System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch"), platforms, embedders);
    }
}
