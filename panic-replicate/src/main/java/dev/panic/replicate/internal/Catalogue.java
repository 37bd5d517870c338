package dev.panic.replicate.internal;

import dev.panic.Modality;
import dev.panic.replicate.ReplicateModel;
import java.util.List;

/**
 * The Replicate models PANIC knows out of the box, and the versions of its embedders.
 *
 * <p>Nothing here is guessed. Where each fact comes from:
 * <ul>
 *   <li>flux-schnell is official: Replicate's API description names it as its example of an
 *       official model; {@code prompt}, {@code seed}, {@code output_format} (png among its choices) and
 *       {@code num_outputs} are inputs of its published schema, and it answers with a list of URLs.</li>
 *   <li>Llama 3 8B Instruct is official (public code runs it by name, without a version);
 *       {@code prompt} and {@code system_prompt} are the inputs of the API description's own example
 *       body, and its default prompt template refers to {@code {system_prompt}}. It streams a list
 *       of tokens.</li>
 *   <li>BLIP's version is the one in Replicate's API example for the model; {@code image} and
 *       {@code task: image_captioning} are its inputs, and it answers "Caption: ...".</li>
 *   <li>Whisper's version is large-v3 as listed in the model's readme on Replicate; its output
 *       schema requires {@code transcription} and {@code detected_language}, and its example input
 *       sets {@code transcription: "plain text"}.</li>
 *   <li>LLaVA 13B, MusicGen, ImageBind and CLIP features are pinned to the version ids that public
 *       code calling them through Replicate's API uses (each seen in many independent projects),
 *       with the inputs of their published schemas: LLaVA {@code image} and {@code prompt} (tokens
 *       out); MusicGen {@code prompt}, {@code duration} (8 by default) and {@code output_format}
 *       (wav by default) and {@code seed}, one URL out; ImageBind {@code modality} (text, vision, audio),
 *       {@code text_input} or {@code input}, 1024 numbers out; CLIP features newline-separated
 *       {@code inputs}, a list of {@code {input, embedding}} out, 768 numbers each (ViT-L/14).</li>
 * </ul>
 * These versions are not necessarily the newest. Users pin others with
 * {@code ReplicatePlatform.Builder#version} or the {@code replicate.version} parameter.
 */
public final class Catalogue {

    /** BLIP, pinned: the version its Replicate page shows in the API example. */
    public static final String BLIP_VERSION = "2e1dddc8621f72155f24cf2e0adbde548458d3cab9f00c0139eea840d0ac4746";
    /** LLaVA 13B, pinned. */
    public static final String LLAVA_VERSION = "80537f9eead1a5bfa72d5ac6ea6414379be41d4d4f6679fd776e9535d1eb58bb";
    /** Whisper large-v3, as listed in the model's readme on Replicate. */
    public static final String WHISPER_VERSION = "3c08daf437fe359eb158a5123c395673f0a113dd8b4bd01ddce5936850e2a981";
    /** MusicGen, pinned. */
    public static final String MUSICGEN_VERSION = "671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb";
    /** ImageBind, pinned. */
    public static final String IMAGEBIND_VERSION = "0383f62e173dc821ec52663ed22a076d9c970549c209666ac3db181618b7a304";
    /** CLIP features, pinned. */
    public static final String CLIP_VERSION = "75b33f253f7714a281ad3e9b28f63e3232d583716ef6718f2e46641077ea040a";

    private Catalogue() {
    }

    /** The catalogue, in listing order. */
    public static List<ReplicateModel> models() {
        return List.of(
                ReplicateModel.builder("black-forest-labs/flux-schnell").official(true)
                        .input(Modality.TEXT).output(Modality.IMAGE).inputField("prompt")
                        // One PNG per call: PANIC keeps one output, and PNG is lossless for the next model.
                        .defaultInput("output_format", "png").defaultInput("num_outputs", 1).seedInput("seed")
                        .description("FLUX.1 [schnell], fast text-to-image (official model)").build(),
                ReplicateModel.builder("salesforce/blip").version(BLIP_VERSION)
                        .input(Modality.IMAGE).output(Modality.TEXT).inputField("image")
                        .defaultInput("task", "image_captioning").stripPrefix("Caption: ")
                        .description("BLIP image captioning").build(),
                ReplicateModel.builder("yorickvp/llava-13b").version(LLAVA_VERSION)
                        .input(Modality.IMAGE).output(Modality.TEXT).inputField("image")
                        .defaultInput("prompt", "Describe this image")
                        .description("LLaVA 13B, describes an image in prose").build(),
                ReplicateModel.builder("openai/whisper").version(WHISPER_VERSION)
                        .input(Modality.AUDIO).output(Modality.TEXT).inputField("audio")
                        .defaultInput("transcription", "plain text")
                        .description("Whisper large-v3 speech recognition").build(),
                ReplicateModel.builder("meta/musicgen").version(MUSICGEN_VERSION)
                        .input(Modality.TEXT).output(Modality.AUDIO).inputField("prompt")
                        .defaultInput("duration", 8).defaultInput("output_format", "wav").seedInput("seed")
                        .description("MusicGen, music from a description").build(),
                ReplicateModel.builder("meta/meta-llama-3-8b-instruct").official(true)
                        .input(Modality.TEXT).output(Modality.TEXT).inputField("prompt")
                        .defaultInput("system_prompt", "You are a helpful assistant")
                        .description("Llama 3 8B Instruct (official model)").build());
    }
}
