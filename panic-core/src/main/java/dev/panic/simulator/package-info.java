/**
 * The offline simulator platform, id {@code sim}: deterministic procedural stand-ins for creative
 * AI models, so that the library, its tests and its demos run with no API key and no network.
 *
 * <p>These are <b>simulators, not AI models</b>. Each computes its output from its input and
 * parameters alone (same input, byte-identical output), with rules chosen so that loops of them
 * have real dynamics: fixed points, cycles, drift and decay.
 *
 * <table>
 * <caption>The simulator models</caption>
 * <tr><th>Model</th><th>Takes</th><th>Gives</th><th>What it does</th><th>In a loop</th></tr>
 * <tr><td>{@code sim:painter}</td><td>text</td><td>image</td>
 *     <td>Draws a PNG (parameter {@code size}, 64 to 1024, default 128) of the colour words (a palette
 *     of twelve), shape words (circle, square, triangle, stripe), size words (small, medium, large)
 *     and position words (top, bottom, left, right, centre) of the text, "on a &lt;colour&gt;
 *     background", on a three-by-three grid. Unknown words become shapes too, their colour, kind
 *     and size taken from a stable hash, so every prompt gives a picture that depends on it.</td>
 *     <td rowspan="2">painter and describer reach an exact fixed point within a few steps</td></tr>
 * <tr><td>{@code sim:describer}</td><td>image</td><td>text</td>
 *     <td>Snaps pixels to the palette, takes the commonest border colour as background, and
 *     describes the three largest regions (colour, shape from how much of its box it fills, size,
 *     position from its centroid) and the brightness, in the painter's own words.</td></tr>
 * <tr><td>{@code sim:contrarian}</td><td>text</td><td>text</td>
 *     <td>Swaps each word that has an opposite (hot/cold, light/dark, day/night, left/right...),
 *     keeping case and punctuation.</td>
 *     <td>a cycle of period 2 (a fixed point if no word has an opposite)</td></tr>
 * <tr><td>{@code sim:drifter}</td><td>text</td><td>text</td>
 *     <td>Moves one word, chosen by a hash of the text, forward along a ring of associated words
 *     (short texts grow first).</td>
 *     <td>drifts away from the prompt for hundreds of steps, one word at a time</td></tr>
 * <tr><td>{@code sim:judge}</td><td>text</td><td>text</td>
 *     <td>Reads an {@code intent:} line and a {@code caption:} line and answers "yes: ..." when the caption
 *     names at least {@code threshold} percent (default 60) of the intent's content words, else "no: ..."
 *     and the words it misses: a stand-in for a language-model judge ({@link dev.panic.StopRule#judge}).</td>
 *     <td></td></tr>
 * <tr><td>{@code sim:refiner}</td><td>text</td><td>text</td>
 *     <td>Reads an {@code intent:} line and the last {@code caption:} line and rewrites the intent so that its
 *     clauses naming words the caption misses come first, their size made "large": a stand-in for a language
 *     model refining an image prompt (the Socratic recipe).</td>
 *     <td>with the painter and describer, the overlooked parts of the intent get drawn bigger</td></tr>
 * <tr><td>{@code sim:prompter}</td><td>text</td><td>text</td>
 *     <td>Writes {@code {"title", "description", "metatags"}} as JSON from the {@code theme:}, {@code elements:}
 *     and {@code environment:} lines it is given, with as many metatags as its JSON examples have: a stand-in for
 *     a language model writing image prompts (the prompt generator recipe).</td>
 *     <td></td></tr>
 * <tr><td>{@code sim:shuffler}</td><td>text</td><td>text</td>
 *     <td>Gives the text's words in an order drawn from a hash of the text, without punctuation: the
 *     shuffled-caption control arm of an experiment.</td>
 *     <td></td></tr>
 * <tr><td>{@code sim:synth}</td><td>text</td><td>audio</td>
 *     <td>Speaks each word as a 150 ms tone and 50 ms of silence in a 16-bit mono WAV (parameter
 *     {@code sample_rate}, 8000 to 48000, default 8000); words of its 64-word vocabulary have exact
 *     tones, others a tone from their hash.</td>
 *     <td rowspan="2">synth and listener reach a fixed point at once</td></tr>
 * <tr><td>{@code sim:listener}</td><td>audio</td><td>text</td>
 *     <td>Reads a PCM WAV (8, 16 or 24 bits), cuts it at silences and writes the vocabulary word whose tone is
 *     strongest in each part.</td></tr>
 * <tr><td>{@code sim:smudger}</td><td>image</td><td>image</td>
 *     <td>Runs the picture down a pixel, blurs it and fades its colours a little, in integer
 *     arithmetic.</td>
 *     <td>smears into soft greyish bands and stops changing: an exact fixed point</td></tr>
 * <tr><td>{@code sim:echo}</td><td>audio</td><td>audio</td>
 *     <td>Adds a decaying echo, muffles and quietens the sound, keeping its length.</td>
 *     <td>fades to exact silence</td></tr>
 * <tr><td>{@code sim:sonifier}</td><td>image</td><td>audio</td>
 *     <td>Plays, left to right, the tone of the name of the main colour in each of eight columns
 *     (parameter {@code sample_rate}); the listener hears colour words.</td><td></td></tr>
 * <tr><td>{@code sim:spectrograph}</td><td>audio</td><td>image</td>
 *     <td>Draws each tone it hears as a bar, time across and pitch up, in the colour the tone's word
 *     names (parameter {@code size}).</td><td></td></tr>
 * </table>
 *
 * <p>Inputs a simulator cannot read (bytes that are not an image the JDK decodes, audio that is not
 * PCM WAV) fail with {@link dev.panic.exception.InvalidRequestException}. For tests and
 * benchmarks {@link dev.panic.simulator.SimulatorPlatform#builder()} adds latency, jitter,
 * failures, prices and a pretend safety filter; {@link dev.panic.simulator.SimulatorPlatformProvider} makes the default platform
 * discoverable with {@code Platforms.discover()}.
 */
package dev.panic.simulator;
