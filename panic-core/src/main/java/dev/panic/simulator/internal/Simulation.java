package dev.panic.simulator.internal;

import dev.panic.Modality;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.ValidationException;
import java.util.List;
import java.util.Optional;

/**
 * One simulator model: its name, modalities, description, the parameters it accepts and the pure
 * function from input to output that it computes.
 *
 * @param name        the model name on the {@code sim} platform, e.g. {@code painter}
 * @param input       the modality it takes
 * @param output      the modality it gives
 * @param description one line, starting "simulator:"
 * @param parameters  the parameters it reads; others are ignored
 * @param transform   the computation
 */
public record Simulation(String name, Modality input, Modality output, String description,
                         List<IntParameter> parameters, Transform transform) {

    /** Copies the list. */
    public Simulation {
        parameters = List.copyOf(parameters);
    }

    /** The computation: same input and parameters, same output, byte for byte. */
    @FunctionalInterface
    public interface Transform {
        /**
         * Computes the output.
         *
         * @param input      of the simulation's input modality
         * @param parameters validated, with defaults filled in
         * @param model      the model id, for error messages
         * @throws dev.panic.exception.InvalidRequestException if the input cannot be read
         */
        Payload apply(Payload input, Parameters parameters, String model);
    }

    /**
     * A whole-number parameter with a range and a default.
     *
     * @param name         the parameter's name
     * @param min          smallest accepted value
     * @param max          largest accepted value
     * @param defaultValue used when the parameter is not set
     */
    public record IntParameter(String name, int min, int max, int defaultValue) {

        /** The value in {@code p}, or the default. */
        public int read(Parameters p) {
            return p.get(name).map(v -> ((Number) v).intValue()).orElse(defaultValue);
        }
    }

    /**
     * The parameters with each one this simulation reads checked and set to a whole number, and
     * defaults filled in.
     *
     * @param model the model id, for error messages
     * @throws ValidationException naming the parameter if a value is not a whole number in range
     */
    public Parameters validate(Parameters given, String model) {
        Parameters out = given;
        for (IntParameter p : parameters) {
            Optional<Double> v = given.getNumber(p.name());
            int value = p.defaultValue();
            if (v.isPresent()) {
                double d = v.get();
                if (d != Math.rint(d) || d < p.min() || d > p.max()) {
                    throw new ValidationException("parameter '" + p.name() + "' of " + model
                            + " must be a whole number from " + p.min() + " to " + p.max() + ", got " + given.get(p.name()).orElseThrow());
                }
                value = (int) d;
            }
            out = out.with(p.name(), value);
        }
        return out;
    }
}
