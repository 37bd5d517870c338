/**
 * Offline embedders that run in process, with no network and no key: a vector for every output of
 * a run, whatever its modality, so that fixed points, cycles and drift can be measured.
 *
 * <ul>
 *   <li>{@link dev.panic.embeddings.MiniLmEmbedder}: text, 384-dimensional sentence embeddings from
 *       all-MiniLM-L6-v2 run through ONNX Runtime; similar meaning, close vectors.
 *   <li>{@link dev.panic.embeddings.ImageDescriptorEmbedder}: images, a perceptual descriptor of
 *       colour, layout and edges computed from the pixels.
 *   <li>{@link dev.panic.embeddings.AudioDescriptorEmbedder}: PCM WAV, a perceptual
 *       descriptor of the spectrum over time.
 *   <li>{@link dev.panic.embeddings.OfflineEmbedders}: one shared default per modality.
 * </ul>
 *
 * <pre>{@code
 * Embedder text = OfflineEmbedders.forModality(Modality.TEXT);
 * List<Embedding> v = text.embedAll(List.of(Payload.text("a red circle"), Payload.text("a crimson disc"))).join();
 * double similarity = v.get(0).cosine(v.get(1));
 * }</pre>
 *
 * <p>Every vector is unit length. The descriptors are perceptual, not semantic: they say how
 * alike two pictures look or two clips sound, not what they show or say.
 */
package dev.panic.embeddings;
