package dev.panic.embeddings;

import dev.panic.Embedding;
import dev.panic.Modality;
import dev.panic.Payload;
import dev.panic.BatchEmbedder;
import dev.panic.embeddings.internal.AudioDescriptor;
import dev.panic.spi.media.AudioDecoder;
import dev.panic.exception.InvalidRequestException;
import dev.panic.exception.ValidationException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A perceptual descriptor of sound, computed from its spectrum over time: id {@value #ID}, audio
 * only, {@value #DIMENSION} dimensions, no model and no network.
 *
 * <p><b>Perceptual, not semantic.</b> It measures which frequencies sound, how they change and how
 * loud the clip is; it does not recognise words, instruments or melodies. Two clips sound alike to
 * it when their spectra over time are alike. That tells a loop of audio models that keeps making
 * the same sound from one that drifts; for meaning, transcribe and embed the text.
 *
 * <p><b>What is in the vector.</b> The clip is cut into 32 ms frames (half overlapping), each
 * transformed with a Hann-windowed FFT and gathered into 24 bands evenly spaced in pitch (the mel
 * scale) from 50 to 8000 Hz, in decibels from -60 dB (silence, 0) to full scale (1). Then: each
 * band's mean over the clip (24) and its standard deviation (24), the mean of six groups of four
 * bands in each quarter of the clip (24), and the fractions of silent, quiet, moderate and loud
 * frames (4). Each block is scaled to unit length and weighted so that the mean spectrum decides
 * 35% of the cosine, the variation 15%, the time course 35% and the loudness 15%; the whole vector
 * has unit length and no negative component. Frames are fixed in time and bands in hertz, so the
 * sample rate hardly matters.
 *
 * <p><b>What the cosine says.</b> The same samples give the same vector, bit for bit, on every
 * JVM: cosine 1. A small change (quieter, a little noise, a neighbouring note) keeps it high;
 * other notes in another rhythm bring it clearly lower. Silence, and a clip with no samples, have
 * a vector of their own (only the loudness block), so a loop that fades out is seen to stop
 * changing; between silence and sound the cosine is low.
 *
 * <p><b>Formats.</b> PCM WAV (8-, 16-, 24-, 32-bit integer or 32-bit float samples, read with
 * {@code javax.sound.sampled} through {@link dev.panic.spi.media.AudioDecoder}), at any sample rate
 * from 1 to 768 kHz and any number of channels (averaged to mono), plain or WAVE_FORMAT_EXTENSIBLE,
 * identified by content, not by media type. Anything else (MP3, FLAC, Ogg, compressed WAV) fails
 * with an {@link InvalidRequestException} saying so; convert it first.
 *
 * <p><b>Threads.</b> Immutable and thread-safe. {@link #embedAll} computes in the calling thread,
 * one clip after another, and returns an already completed future: a few seconds of sound take a
 * few milliseconds of CPU, less than handing them to another thread would be worth.
 */
public final class AudioDescriptorEmbedder extends BatchEmbedder {

    /** The id, {@value}: the key of its vectors in a prediction's embeddings. */
    public static final String ID = "audio-descriptor";

    /** The length of every vector, {@value}. */
    public static final int DIMENSION = AudioDescriptor.DIMENSION;

    private static final Set<Modality> MODALITIES = Set.of(Modality.AUDIO);

    /** An audio descriptor embedder; it holds no state, so one can serve a whole program. */
    public AudioDescriptorEmbedder() {
        super(ID, MODALITIES, DIMENSION);
    }

    /**
     * Describes each clip, in the calling thread.
     *
     * @return an already completed future of one unit-length vector per clip, in input order; or a
     *         failed one with an {@link InvalidRequestException} naming the first clip that is not
     *         PCM WAV, what it is instead and what is supported
     * @throws ValidationException at once if an input is null or not audio
     */
    @Override
    protected CompletableFuture<List<Embedding>> embedBatch(List<? extends Payload> inputs) {
        return eachNow(inputs, (i, input) -> Embedding.of(AudioDescriptor.describe(
                AudioDecoder.decode((Payload.Audio) input, ID + " input " + i))));
    }
}
