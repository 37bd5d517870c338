package dev.panic.embeddings;

import dev.panic.Modality;
import dev.panic.Embedder;
import dev.panic.exception.ValidationException;
import java.util.List;

/**
 * The default offline embedder for each modality, so that the command line and runs can embed
 * every output with no set-up: {@link MiniLmEmbedder} for text, {@link ImageDescriptorEmbedder}
 * for images and {@link AudioDescriptorEmbedder} for audio.
 *
 * <p>The embedders are shared, one per modality for the whole class loader: they are thread-safe,
 * and sharing the text embedder means sharing its worker pool as well as its weights. Nothing is
 * loaded until an embedder is used; in particular, asking for the text embedder does not load
 * MiniLM.
 */
public final class OfflineEmbedders {

    private static final MiniLmEmbedder TEXT = new MiniLmEmbedder();
    private static final ImageDescriptorEmbedder IMAGE = new ImageDescriptorEmbedder();
    private static final AudioDescriptorEmbedder AUDIO = new AudioDescriptorEmbedder();
    private static final List<Embedder> ALL = List.of(TEXT, IMAGE, AUDIO);

    private OfflineEmbedders() {
    }

    /** The shared text embedder, MiniLM. */
    public static MiniLmEmbedder text() {
        return TEXT;
    }

    /** The shared image embedder, the perceptual image descriptor. */
    public static ImageDescriptorEmbedder image() {
        return IMAGE;
    }

    /** The shared audio embedder, the perceptual audio descriptor. */
    public static AudioDescriptorEmbedder audio() {
        return AUDIO;
    }

    /** One embedder per modality, in the order text, image, audio; the list is unmodifiable. */
    public static List<Embedder> all() {
        return ALL;
    }

    /**
     * The default embedder of {@code modality}.
     *
     * @throws ValidationException if {@code modality} is null
     */
    public static Embedder forModality(Modality modality) {
        if (modality == null) {
            throw new ValidationException("modality is null; expected one of " + List.of(Modality.values()));
        }
        return switch (modality) {
            case TEXT -> TEXT;
            case IMAGE -> IMAGE;
            case AUDIO -> AUDIO;
        };
    }
}
