package dev.panic.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.Bytes;
import dev.panic.Payload;
import dev.panic.RunSpec;
import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import dev.panic.internal.store.JsonCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Run specs as JSON: what {@code panic run --spec FILE} reads, what a run store saves in
 * {@code run.json}, what a frontend or an experiment sends. The format is the {@code spec} object
 * of {@link dev.panic.RunStore#directory a directory store's} {@code run.json}:
 * <pre>{@code
 * {
 *   "network": {
 *     "nodes": [
 *       {"id": "painter", "model": "sim:painter", "parameters": {"size": 256},
 *        "template": "a watercolour of {input}"},
 *       {"id": "describer", "model": "sim:describer"}
 *     ],
 *     "links": {"painter": ["describer"], "describer": ["painter"]},
 *     "entry": "painter"
 *   },
 *   "input": {"text": "a red circle on a blue background"},
 *   "stop": [{"rule": "max-steps", "steps": 40}, {"rule": "exact-repeat"}, {"rule": "fixed-point", "threshold": 0.95}],
 *   "observe": [{"rule": "drift"}],
 *   "embedders": ["minilm", "image-descriptor"],
 *   "pacing": {"kind": "fixed", "delay": "PT1S"},
 *   "max_branches": 8, "max_predictions": 1000, "forever": false, "durability": "flush"
 * }
 * }</pre>
 * Written by hand, a spec may be shorter: {@code network} may be a list of model ids (a ring),
 * {@code links} and {@code entry} may be left out (a ring of the nodes in order), a node's
 * {@code id} defaults to its model's name, a rule may be just its name ({@code "exact-repeat"}),
 * and every field but {@code network} and {@code input} has a default. The input is
 * {@code {"text": "..."}}, or an image or sound as {@code {"file": "picture.png"}} (a path
 * relative to the spec file) or {@code {"media_type": "image/png", "data": "<base64>"}}.
 * Durations are ISO-8601 ({@code PT1.5S}).
 */
public final class RunSpecJson {

    private static final JsonCodec CODEC = new JsonCodec();

    private RunSpecJson() {
    }

    /**
     * Reads a spec file; an image or sound input given as a file is read relative to the spec's folder.
     *
     * @throws ValidationException naming the file and what is wrong, if it cannot be read as a spec
     */
    public static RunSpec read(Path file) {
        if (file == null) {
            throw new ValidationException("the spec file is null");
        }
        String json;
        try {
            json = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ValidationException("spec file " + file + " does not exist");
        } catch (IOException e) {
            throw new ValidationException("cannot read spec file " + file + ": " + e.getMessage(), e);
        }
        Path base = file.toAbsolutePath().getParent();
        try {
            return read(json, base);
        } catch (ValidationException e) {
            throw new ValidationException("spec file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a spec from JSON text.
     *
     * @param baseDir where an input given as a file is looked up; null to refuse such inputs
     * @throws ValidationException saying what is wrong
     */
    public static RunSpec read(String json, Path baseDir) {
        JsonNode node;
        try {
            node = CODEC.mapper().readTree(json);
        } catch (IOException e) {
            String first = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new ValidationException("the spec is not valid JSON: " + first, e);
        }
        try {
            return CODEC.decodeSpec(node, (file, sha, size) -> readMedia(baseDir, file));
        } catch (RuntimeException e) {
            if (e instanceof PanicException p && !(p instanceof ValidationException)) {
                throw p;
            }
            throw new ValidationException("the spec is not valid: " + e.getMessage(), e);
        }
    }

    /** Writes a spec as JSON text that stands alone: an image or sound input goes in as base64. */
    public static String write(RunSpec spec) {
        if (spec == null) {
            throw new ValidationException("the spec to write is null");
        }
        ObjectNode node = CODEC.encodeSpec(spec, (media, path) -> { });
        Payload input = spec.input();
        if (!(input instanceof Payload.Text)) {
            ObjectNode in = (ObjectNode) node.get("input");
            Bytes data = input instanceof Payload.Image i ? i.data() : ((Payload.Audio) input).data();
            in.remove("file");
            in.remove("sha256");
            in.remove("size");
            in.put("data", Base64.getEncoder().encodeToString(data.toByteArray()));
        }
        try {
            return CODEC.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            throw new PanicException("could not write the spec as JSON: " + e.getMessage(), e);
        }
    }

    private static Bytes readMedia(Path baseDir, String file) {
        if (baseDir == null) {
            throw new ValidationException("the spec's input refers to the file '" + file
                    + "'; give the media inline as data, or read the spec from a file");
        }
        Path path = baseDir.resolve(file);
        try {
            return Bytes.wrap(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new ValidationException("the spec's input file " + path + " cannot be read: " + e.getMessage(), e);
        }
    }
}
