package dev.panic.openai;

import dev.panic.Modality;
import dev.panic.ModelId;

/**
 * The OpenAI models {@link OpenAiPlatform#models()} lists, for code that would rather not spell
 * names. {@link #toString()} is the name sent to the API ({@code gpt-4o-mini}); {@link #modelName()}
 * is the PANIC model name ({@code vision/gpt-4o-mini}), which says what a chat model is given.
 *
 * <pre>{@code
 * Model describer = openai.model(OpenAiModel.VISION_GPT_4O_MINI);
 * Model painter = platforms.model(OpenAiModel.DALL_E_3.id().toString());   // "openai:dall-e-3"
 * }</pre>
 *
 * <p>The platform builds more than these: any chat model as {@code chat/NAME} or
 * {@code vision/NAME}, every image, speech and transcription model of the API description, and
 * any model of a compatible server as {@code image/NAME}, {@code speech/NAME} or
 * {@code transcription/NAME}.
 */
public enum OpenAiModel {
    /** DALL·E 2; {@code size} 256x256, 512x512 or 1024x1024. */
    DALL_E_2("dall-e-2", Modality.TEXT, Modality.IMAGE, "DALL-E 2; size 256x256|512x512|1024x1024"),
    /** DALL·E 3; {@code size}, {@code quality} standard or hd, {@code style} vivid or natural. */
    DALL_E_3("dall-e-3", Modality.TEXT, Modality.IMAGE,
            "DALL-E 3; size 1024x1024|1792x1024|1024x1792, quality standard|hd, style vivid|natural"),
    /** GPT image 1; {@code size}, {@code quality} low to high, {@code output_format} png, jpeg or webp. */
    GPT_IMAGE_1("gpt-image-1", Modality.TEXT, Modality.IMAGE,
            "GPT image 1; size 1024x1024|1536x1024|1024x1536|auto, quality low|medium|high|auto, output_format png|jpeg|webp"),
    /** GPT image 1 mini, with the options of {@link #GPT_IMAGE_1}. */
    GPT_IMAGE_1_MINI("gpt-image-1-mini", Modality.TEXT, Modality.IMAGE, "GPT image 1 mini; options as gpt-image-1"),
    /** GPT image 1.5, with the options of {@link #GPT_IMAGE_1}. */
    GPT_IMAGE_1_5("gpt-image-1.5", Modality.TEXT, Modality.IMAGE, "GPT image 1.5; options as gpt-image-1"),
    /** GPT image 2: the options of {@link #GPT_IMAGE_1}, and any size in multiples of 16 up to 3840x2160. */
    GPT_IMAGE_2("gpt-image-2", Modality.TEXT, Modality.IMAGE,
            "GPT image 2; options as gpt-image-1, size also any WIDTHxHEIGHT in multiples of 16"),
    /** GPT-4o mini rewriting text under a system prompt. */
    CHAT_GPT_4O_MINI("chat/gpt-4o-mini", Modality.TEXT, Modality.TEXT, "GPT-4o mini chat; system_prompt, temperature"),
    /** GPT-4o rewriting text under a system prompt. */
    CHAT_GPT_4O("chat/gpt-4o", Modality.TEXT, Modality.TEXT, "GPT-4o chat; system_prompt, temperature"),
    /** GPT-4.1 mini rewriting text under a system prompt. */
    CHAT_GPT_4_1_MINI("chat/gpt-4.1-mini", Modality.TEXT, Modality.TEXT, "GPT-4.1 mini chat; system_prompt, temperature"),
    /** GPT-4o mini describing an image. */
    VISION_GPT_4O_MINI("vision/gpt-4o-mini", Modality.IMAGE, Modality.TEXT,
            "GPT-4o mini vision; instruction, system_prompt, detail auto|low|high"),
    /** GPT-4o describing an image. */
    VISION_GPT_4O("vision/gpt-4o", Modality.IMAGE, Modality.TEXT,
            "GPT-4o vision; instruction, system_prompt, detail auto|low|high"),
    /** GPT-4.1 mini describing an image. */
    VISION_GPT_4_1_MINI("vision/gpt-4.1-mini", Modality.IMAGE, Modality.TEXT,
            "GPT-4.1 mini vision; instruction, system_prompt, detail auto|low|high"),
    /** Text to speech; {@code voice}, {@code response_format}, {@code speed}. */
    TTS_1("tts-1", Modality.TEXT, Modality.AUDIO, "text to speech; voice, response_format mp3|opus|aac|flac|wav, speed"),
    /** Higher-quality text to speech, with the options of {@link #TTS_1}. */
    TTS_1_HD("tts-1-hd", Modality.TEXT, Modality.AUDIO, "text to speech, higher quality; options as tts-1"),
    /** Text to speech that also takes {@code instructions} on how to speak. */
    GPT_4O_MINI_TTS("gpt-4o-mini-tts", Modality.TEXT, Modality.AUDIO,
            "text to speech; options as tts-1, and instructions on how to speak"),
    /** Whisper speech to text; {@code language}, {@code prompt}, {@code response_format} json or text. */
    WHISPER_1("whisper-1", Modality.AUDIO, Modality.TEXT, "Whisper speech to text; language, prompt, response_format json|text"),
    /** GPT-4o speech to text; {@code response_format} json only. */
    GPT_4O_TRANSCRIBE("gpt-4o-transcribe", Modality.AUDIO, Modality.TEXT, "GPT-4o speech to text; language, prompt"),
    /** GPT-4o mini speech to text; {@code response_format} json only. */
    GPT_4O_MINI_TRANSCRIBE("gpt-4o-mini-transcribe", Modality.AUDIO, Modality.TEXT,
            "GPT-4o mini speech to text; language, prompt");

    private final String modelName;
    private final Modality input;
    private final Modality output;
    private final String description;

    OpenAiModel(String modelName, Modality input, Modality output, String description) {
        this.modelName = modelName;
        this.input = input;
        this.output = output;
        this.description = description;
    }

    /** The PANIC model name, as {@link OpenAiPlatform#model(String, dev.panic.Parameters)} takes it, e.g. {@code vision/gpt-4o-mini}. */
    public String modelName() {
        return modelName;
    }

    /** {@code openai:} and the model name. */
    public ModelId id() {
        return new ModelId(OpenAiPlatform.ID, modelName);
    }

    /** The modality the model takes. */
    public Modality input() {
        return input;
    }

    /** The modality the model gives. */
    public Modality output() {
        return output;
    }

    /** One line for listings, naming the main options. */
    public String description() {
        return description;
    }

    /** The {@code model} field sent to the API, e.g. {@code gpt-4o-mini} for {@link #VISION_GPT_4O_MINI}. */
    @Override
    public String toString() {
        int slash = modelName.indexOf('/');
        return slash < 0 ? modelName : modelName.substring(slash + 1);
    }
}
