package dev.panic.internal.store;

import dev.panic.Bytes;
import dev.panic.MediaTypes;
import dev.panic.Payload;
import dev.panic.exception.ValidationException;
import java.util.regex.Pattern;

/**
 * The names inside a run folder, shared by the store and by exporters that refer to its media
 * files, so the two can never disagree on where a payload lives.
 */
public final class RunFolderLayout {

    /** The run's description and state. */
    public static final String RUN_FILE = "run.json";
    /** One JSON object per line, one line per prediction. */
    public static final String PREDICTIONS_FILE = "predictions.jsonl";
    /** One JSON object per line, one line per steering revision. */
    public static final String REVISIONS_FILE = "revisions.jsonl";
    /** The run's analysis, when one has been saved. */
    public static final String ANALYSIS_FILE = "analysis.json";
    /** The folder of media files, relative to the run folder. */
    public static final String MEDIA_DIR = "media";

    // Same rule as Run.Builder#id: a run id is always a single, harmless path segment.
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    // What a media reference read from disk may look like; anything else could escape the run folder.
    private static final Pattern MEDIA_FILE = Pattern.compile("media/([0-9a-f]{64})\\.[A-Za-z0-9]{1,16}");

    private RunFolderLayout() {
    }

    /**
     * The path of an image or audio payload's file relative to its run folder,
     * {@code media/<sha256>.<ext>}.
     *
     * @throws ValidationException if {@code payload} is text, which is stored inline
     */
    public static String mediaPath(Payload payload) {
        if (payload instanceof Payload.Image image) {
            return mediaPath(image.data(), image.mediaType());
        }
        if (payload instanceof Payload.Audio audio) {
            return mediaPath(audio.data(), audio.mediaType());
        }
        throw new ValidationException("a " + payload.modality().wireName() + " payload has no media file");
    }

    static String mediaPath(Bytes data, String mediaType) {
        return MEDIA_DIR + "/" + data.sha256() + "." + MediaTypes.extension(mediaType);
    }

    /**
     * Checks a run id before it is used as a folder name.
     *
     * @throws ValidationException if it could name anything but a single folder under the store root
     */
    public static String checkRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches() || runId.startsWith(".")) {
            throw new ValidationException("run id '" + runId
                    + "' is not valid; use 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'");
        }
        return runId;
    }

    /** True if {@code name} could be a run id (used to skip foreign folders when listing). */
    static boolean isRunId(String name) {
        return RUN_ID.matcher(name).matches() && !name.startsWith(".");
    }

    /**
     * Checks a media reference read from a file and returns the SHA-256 its name carries.
     *
     * @throws MalformedRecordException if it is not {@code media/<sha256>.<ext>}
     */
    static String checkMediaFile(String file) {
        var m = MEDIA_FILE.matcher(file);
        if (!m.matches()) {
            throw new MalformedRecordException("media file reference '" + file
                    + "' is not of the form media/<sha256>.<ext>");
        }
        return m.group(1);
    }

    /**
     * Refuses a run info that is missing or for another run than the one a recorder saves: the
     * check every {@code Recorder.update} makes first.
     */
    public static void checkInfoFor(String runId, dev.panic.RunInfo info) {
        if (info == null) {
            throw new ValidationException("cannot save a null run info");
        }
        if (!runId.equals(info.id())) {
            throw new ValidationException("run info is for run '" + info.id() + "', not for run '" + runId
                    + "' that this recorder saves");
        }
    }

    /** Refuses an analysis to save that is missing or for a run id no store has: what every {@code saveAnalysis} checks first. */
    public static void checkAnalysis(String runId, String json) {
        if (json == null) {
            throw new ValidationException("cannot save a null analysis of run '" + runId + "'");
        }
        checkRunId(runId);
    }
}
