package dev.panic;

import dev.panic.exception.ValidationException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What flows along a network's links: one immutable case per {@link Modality}.
 *
 * <p>Equality compares content: two images are equal when their bytes and media type are. The
 * optional facts (an image's size, a clip's duration) are not part of equality, since they are
 * derived from the bytes when known.
 */
public sealed interface Payload permits Payload.Text, Payload.Image, Payload.Audio {

    /** The modality of this payload. */
    Modality modality();

    /**
     * A one-line human-readable form of at most {@code maxChars} characters: the text itself
     * (shortened), or a description of the media ("image/png 256x256, 3.1 kB").
     */
    String summary(int maxChars);

    /** A text payload. */
    static Text text(String text) {
        return new Text(text);
    }

    /** An image payload; the bytes are copied once. */
    static Image image(byte[] data, String mediaType) {
        return new Image(Bytes.of(data), mediaType, null);
    }

    /** An audio payload; the bytes are copied once. */
    static Audio audio(byte[] data, String mediaType) {
        return new Audio(Bytes.of(data), mediaType, null);
    }

    /**
     * Text.
     *
     * @param text the text, never null (may be empty: some models answer with nothing)
     */
    record Text(String text) implements Payload {
        /** Checks that {@code text} is not null. */
        public Text {
            if (text == null) {
                throw new ValidationException("text payload must not be null");
            }
        }

        @Override
        public Modality modality() {
            return Modality.TEXT;
        }

        @Override
        public String summary(int maxChars) {
            return Summaries.shorten(text.replaceAll("\\s+", " ").strip(), maxChars);
        }
    }

    /** An encoded image with its media type and, when known, its size in pixels. */
    final class Image implements Payload {
        private final Bytes data;
        private final String mediaType;
        private final Size size;

        /**
         * @param data      the encoded image
         * @param mediaType e.g. {@code image/png}
         * @param size      the size in pixels, or null when not known
         */
        public Image(Bytes data, String mediaType, Size size) {
            this.data = Objects.requireNonNull(data, "image data");
            this.mediaType = MediaTypes.require(mediaType, "image/");
            this.size = size;
            if (data.size() == 0) {
                throw new ValidationException("image payload has no bytes");
            }
        }

        /** Width and height in pixels. */
        public record Size(int width, int height) {
            /** Checks both are positive. */
            public Size {
                if (width <= 0 || height <= 0) {
                    throw new ValidationException("image size must be positive, got " + width + "x" + height);
                }
            }

            @Override
            public String toString() {
                return width + "x" + height;
            }
        }

        /** The encoded bytes. */
        public Bytes data() {
            return data;
        }

        /** The media type, e.g. {@code image/png}. */
        public String mediaType() {
            return mediaType;
        }

        /** The size in pixels, when the producer knew it. */
        public Optional<Size> size() {
            return Optional.ofNullable(size);
        }

        /** The same image with its size recorded. */
        public Image withSize(int width, int height) {
            return new Image(data, mediaType, new Size(width, height));
        }

        @Override
        public Modality modality() {
            return Modality.IMAGE;
        }

        @Override
        public String summary(int maxChars) {
            String s = mediaType + (size == null ? "" : " " + size) + ", " + Summaries.byteSize(data.size());
            return Summaries.shorten(s, maxChars);
        }

        @Override
        public boolean equals(Object o) {
            return o == this || (o instanceof Image i && data.equals(i.data) && mediaType.equals(i.mediaType));
        }

        @Override
        public int hashCode() {
            return 31 * data.hashCode() + mediaType.hashCode();
        }

        @Override
        public String toString() {
            return "Image[" + summary(80) + "]";
        }
    }

    /** Encoded audio with its media type and, when known, its duration. */
    final class Audio implements Payload {
        private final Bytes data;
        private final String mediaType;
        private final Duration duration;

        /**
         * @param data      the encoded audio
         * @param mediaType e.g. {@code audio/wav}
         * @param duration  the playing time, or null when not known
         */
        public Audio(Bytes data, String mediaType, Duration duration) {
            this.data = Objects.requireNonNull(data, "audio data");
            this.mediaType = MediaTypes.require(mediaType, "audio/");
            if (duration != null && duration.isNegative()) {
                throw new ValidationException("audio duration must not be negative, got " + duration);
            }
            this.duration = duration;
            if (data.size() == 0) {
                throw new ValidationException("audio payload has no bytes");
            }
        }

        /** The encoded bytes. */
        public Bytes data() {
            return data;
        }

        /** The media type, e.g. {@code audio/wav}. */
        public String mediaType() {
            return mediaType;
        }

        /** The playing time, when the producer knew it. */
        public Optional<Duration> duration() {
            return Optional.ofNullable(duration);
        }

        /** The same audio with its duration recorded. */
        public Audio withDuration(Duration duration) {
            return new Audio(data, mediaType, duration);
        }

        @Override
        public Modality modality() {
            return Modality.AUDIO;
        }

        @Override
        public String summary(int maxChars) {
            String d = duration == null ? "" : String.format(java.util.Locale.ROOT, " %.2fs", duration.toMillis() / 1000.0);
            return Summaries.shorten(mediaType + d + ", " + Summaries.byteSize(data.size()), maxChars);
        }

        @Override
        public boolean equals(Object o) {
            return o == this || (o instanceof Audio a && data.equals(a.data) && mediaType.equals(a.mediaType));
        }

        @Override
        public int hashCode() {
            return 31 * data.hashCode() + mediaType.hashCode();
        }

        @Override
        public String toString() {
            return "Audio[" + summary(80) + "]";
        }
    }
}
