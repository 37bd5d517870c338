/**
 * How the simulators work: the scene parser, renderer and analyser behind the painter and the
 * describer, the tone language of the synth and the listener, the word rules of the contrarian
 * and the drifter, the smudge and echo filters, the PNG and WAV codecs, and the catalogue of
 * models. Not part of the public API: it may change in any release.
 */
package dev.panic.simulator.internal;
