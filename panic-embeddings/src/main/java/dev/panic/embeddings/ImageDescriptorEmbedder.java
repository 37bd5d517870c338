package dev.panic.embeddings;

import dev.panic.spi.media.ImageDecoder;
import dev.panic.Embedding;
import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.BatchEmbedder;
import dev.panic.embeddings.internal.ImageDescriptor;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.ValidationException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A perceptual descriptor of images, computed from their pixels: id {@value #ID}, images only,
 * {@value #DIMENSION} dimensions, no model and no network.
 *
 * <p><b>Perceptual, not semantic.</b> It measures how a picture looks: which colours it has, where
 * they are and what its edges are like. It knows nothing of what a picture shows; a red apple and
 * a red ball in the same place look alike to it, a photo of a dog and a drawing of one do not.
 * That is what a loop of image models needs to tell a picture that has stopped changing from one
 * that drifts, and it is fast and exactly reproducible; for meaning, embed the describer's
 * captions with {@link MiniLmEmbedder}.
 *
 * <p><b>What is in the vector.</b> The picture is resampled to 128 x 128 (its size does not
 * matter, its aspect ratio is not kept), then four blocks: a joint RGB colour histogram (64 bins,
 * soft-binned), the mean colour of each cell of a 4 x 4 grid less the picture's mean colour (48),
 * a histogram of 8 edge orientations weighted by edge strength (8), and the fractions of flat,
 * weak, moderate and strong edges (4). Each block is scaled to unit length and weighted so that
 * colour decides 30% of the cosine, layout 30%, edge orientation 30% and edge strength 10%. The
 * whole vector has unit length; all components but the layout's are non-negative.
 *
 * <p><b>What the cosine says.</b> The same pixels give the same vector, bit for bit, on every JVM:
 * cosine 1. A small change (a slight blur, a shape moved a little, a recompressed JPEG) keeps it
 * high, above 0.9. The same shape moved elsewhere scores lower (a small red circle on the left
 * against one on the right: about 0.65), a different colour, shape and place lower still (against
 * a blue square at the top: about 0.58), and a different background with it far lower (a green
 * triangle on black: about 0.4). Pictures of one plain colour have no layout or edges, so their
 * vectors differ only by colour.
 *
 * <p><b>Formats.</b> Whatever the JDK's {@code javax.imageio} reads: PNG, JPEG, GIF (first frame)
 * and BMP, identified by content, not by media type. Transparent pixels count as white. Images of
 * more than 4096 x 4096 pixels are refused.
 *
 * <p><b>Threads.</b> Immutable and thread-safe. {@link #embedAll} computes in the calling thread,
 * one image after another, and returns an already completed future: decoding and describing a
 * picture is a few milliseconds of CPU, less than handing it to another thread would be worth.
 */
public final class ImageDescriptorEmbedder extends BatchEmbedder {

    /** The id, {@value}: the key of its vectors in a prediction's embeddings. */
    public static final String ID = "image-descriptor";

    /** The length of every vector, {@value}. */
    public static final int DIMENSION = ImageDescriptor.DIMENSION;

    private static final Set<Modality> MODALITIES = Set.of(Modality.IMAGE);

    /** An image descriptor embedder; it holds no state, so one can serve a whole program. */
    public ImageDescriptorEmbedder() {
        super(ID, MODALITIES, DIMENSION);
    }

    /**
     * Describes each image, in the calling thread.
     *
     * @return an already completed future of one unit-length vector per image, in input order; or
     *         a failed one with an {@link InvalidRequestException} naming the first image that is
     *         not a readable picture and what is wrong with it
     * @throws ValidationException at once if an input is null or not an image
     */
    @Override
    protected CompletableFuture<List<Embedding>> embedBatch(List<? extends Payload> inputs) {
        return eachNow(inputs, (i, input) -> Embedding.of(ImageDescriptor.describe(
                ImageDecoder.decode((Payload.Image) input, ID + " input " + i))));
    }
}
