/**
 * The seeds' workflows as recipes, each a Java API over ordinary runs that the {@code panic}
 * command line and other frontends drive: {@link dev.panic.recipes.Socratic} image generation
 * (draw, caption, refine the prompt, stop when a judge is satisfied, pick the best picture),
 * {@link dev.panic.recipes.Telestrations} (an endless, steerable text-to-image / image-to-text
 * loop) and the {@link dev.panic.recipes.PromptGenerator} (a language model writing image prompts
 * as JSON into a CSV file or a folder of pictures); with the pieces they share:
 * {@link dev.panic.recipes.JsonAnswer} (structured answers checked and asked for again) and
 * {@link dev.panic.recipes.Csv} (RFC 4180 tables). Experiments of many runs are in
 * {@link dev.panic.recipes.experiment}. Every recipe runs offline on the simulator platform.
 */
package dev.panic.recipes;
