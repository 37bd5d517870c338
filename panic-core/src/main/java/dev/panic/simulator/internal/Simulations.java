package dev.panic.simulator.internal;

import dev.panic.Modality;
import dev.panic.Payload;
import java.util.List;

/** The catalogue of simulator models, in listing order: every input/output modality pair is covered. */
public final class Simulations {

    private static final Simulation.IntParameter IMAGE_SIZE = new Simulation.IntParameter("size", 64, 1024, 128);
    private static final Simulation.IntParameter SAMPLE_RATE =
            new Simulation.IntParameter("sample_rate", 8000, 48000, 8000);
    private static final Simulation.IntParameter THRESHOLD = new Simulation.IntParameter("threshold", 0, 100, 60);
    private static final int MAX_REGIONS = 3;
    private static final int MAX_SPOKEN_WORDS = 256;

    private static final List<Simulation> ALL = List.of(
            new Simulation("painter", Modality.TEXT, Modality.IMAGE,
                    "simulator: draws the colours, shapes, sizes and positions named in the text (unknown words"
                            + " become shapes too) as a PNG", List.of(IMAGE_SIZE),
                    (in, p, model) -> Images.png(SceneRenderer.render(
                            SceneParser.parse(((Payload.Text) in).text()), IMAGE_SIZE.read(p)))),
            new Simulation("describer", Modality.IMAGE, Modality.TEXT,
                    "simulator: measures the background, the largest coloured regions and the brightness of an"
                            + " image and describes them in the painter's words", List.of(),
                    (in, p, model) -> Payload.text(SceneAnalyser.describe(SceneAnalyser.analyse(
                            Images.decode((Payload.Image) in, model), MAX_REGIONS)))),
            new Simulation("contrarian", Modality.TEXT, Modality.TEXT,
                    "simulator: swaps every word that has an opposite (hot/cold, light/dark, left/right...);"
                            + " twice gives the text back", List.of(),
                    (in, p, model) -> Payload.text(Opposites.swap(((Payload.Text) in).text()))),
            new Simulation("drifter", Modality.TEXT, Modality.TEXT,
                    "simulator: moves one word of the text to an associated word on each call, drifting away"
                            + " from the prompt", List.of(),
                    (in, p, model) -> Payload.text(Drift.step(((Payload.Text) in).text()))),
            new Simulation("judge", Modality.TEXT, Modality.TEXT,
                    "simulator: answers yes when the 'caption:' line names enough of the 'intent:' line's words"
                            + " (parameter threshold, percent), else no and what it misses: a stand-in for a"
                            + " language-model judge", List.of(THRESHOLD),
                    (in, p, model) -> Payload.text(Judge.judge(((Payload.Text) in).text(), THRESHOLD.read(p)))),
            new Simulation("refiner", Modality.TEXT, Modality.TEXT,
                    "simulator: rewrites the 'intent:' line so that what the last 'caption:' line misses comes"
                            + " first and large: a stand-in for a language model refining an image prompt",
                    List.of(), (in, p, model) -> Payload.text(Refiner.refine(((Payload.Text) in).text()))),
            new Simulation("prompter", Modality.TEXT, Modality.TEXT,
                    "simulator: writes an image prompt as JSON (title, description, metatags) from the 'theme:',"
                            + " 'elements:' and 'environment:' lines and the JSON examples it is given: a stand-in"
                            + " for a language model writing prompts", List.of(),
                    (in, p, model) -> Payload.text(Prompter.write(((Payload.Text) in).text()))),
            new Simulation("shuffler", Modality.TEXT, Modality.TEXT,
                    "simulator: gives the words of the text in an order drawn from a hash of it, without"
                            + " punctuation: the shuffled-caption control of an experiment", List.of(),
                    (in, p, model) -> Payload.text(Shuffle.words(((Payload.Text) in).text()))),
            new Simulation("synth", Modality.TEXT, Modality.AUDIO,
                    "simulator: speaks each word as a short tone (vocabulary words have exact tones) in a"
                            + " 16-bit mono WAV", List.of(SAMPLE_RATE),
                    (in, p, model) -> {
                        int rate = SAMPLE_RATE.read(p);
                        List<Double> tones = Tones.words(((Payload.Text) in).text(), MAX_SPOKEN_WORDS).stream()
                                .map(Tones::frequency).toList();
                        return Wav.encode(new Wav.Pcm(rate, Tones.play(tones, rate)));
                    }),
            new Simulation("listener", Modality.AUDIO, Modality.TEXT,
                    "simulator: cuts a WAV at silences and writes the vocabulary word whose tone is nearest"
                            + " to each part", List.of(),
                    (in, p, model) -> {
                        Wav.Pcm pcm = Wav.decode((Payload.Audio) in, model);
                        return Payload.text(Tones.hear(pcm.samples(), pcm.sampleRate()));
                    }),
            new Simulation("smudger", Modality.IMAGE, Modality.IMAGE,
                    "simulator: runs the picture down a pixel, blurs it and fades its colours a little", List.of(),
                    (in, p, model) -> Images.png(Smudge.step(Images.decode((Payload.Image) in, model)))),
            new Simulation("echo", Modality.AUDIO, Modality.AUDIO,
                    "simulator: adds a decaying echo, muffles and quietens the sound, towards silence", List.of(),
                    (in, p, model) -> {
                        Wav.Pcm pcm = Wav.decode((Payload.Audio) in, model);
                        return Wav.encode(new Wav.Pcm(pcm.sampleRate(), Echo.step(pcm.samples(), pcm.sampleRate())));
                    }),
            new Simulation("sonifier", Modality.IMAGE, Modality.AUDIO,
                    "simulator: plays the tone of the main colour's name in each of eight columns, left to right",
                    List.of(SAMPLE_RATE),
                    (in, p, model) -> {
                        int rate = SAMPLE_RATE.read(p);
                        return Wav.encode(new Wav.Pcm(rate, Sonify.play(Images.decode((Payload.Image) in, model), rate)));
                    }),
            new Simulation("spectrograph", Modality.AUDIO, Modality.IMAGE,
                    "simulator: draws the tones it hears as coloured bars, time across and pitch up",
                    List.of(IMAGE_SIZE),
                    (in, p, model) -> {
                        Wav.Pcm pcm = Wav.decode((Payload.Audio) in, model);
                        return Images.png(Spectrograph.draw(pcm.samples(), pcm.sampleRate(), IMAGE_SIZE.read(p)));
                    }));

    private Simulations() {
    }

    /** Every simulator model. */
    public static List<Simulation> all() {
        return ALL;
    }
}
