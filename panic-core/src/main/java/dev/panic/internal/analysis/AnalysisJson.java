package dev.panic.internal.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.panic.Similarity;
import dev.panic.analysis.DecayFit;
import dev.panic.analysis.RunAnalysis;
import dev.panic.analysis.SeriesAnalysis;
import dev.panic.analysis.SimilarityMatrix;
import dev.panic.exception.PanicException;
import dev.panic.internal.store.JsonCodec;

/**
 * The JSON form of a {@link RunAnalysis} ({@code analysis.json}). It lives with the analysis, not
 * with the stores: a store keeps the document it is given and knows nothing of analyses.
 */
public final class AnalysisJson {

    private static final JsonCodec CODEC = new JsonCodec();

    private AnalysisJson() {
    }

    /** An analysis, with its numbers in parallel arrays (one entry per output) to keep the file small and easy to load. */
    public static String encode(RunAnalysis a) {
        ObjectNode n = CODEC.mapper().createObjectNode();
        n.put("format", JsonCodec.FORMAT);
        n.put("run_id", a.runId());
        n.put("predictions", a.predictions());
        ArrayNode events = n.putArray("events");
        a.events().forEach(e -> events.add(CODEC.encodeStopReason(e)));
        if (!a.warnings().isEmpty()) {
            ArrayNode warnings = n.putArray("warnings");
            a.warnings().forEach(warnings::add);
        }
        ArrayNode series = n.putArray("series");
        for (SeriesAnalysis s : a.series()) {
            ObjectNode o = series.addObject();
            o.put("modality", s.modality().wireName());
            o.put("embedder", s.embedderId());
            ObjectNode drift = o.putObject("drift");
            ArrayNode sequence = drift.putArray("sequence");
            ArrayNode lap = drift.putArray("lap");
            ArrayNode previous = drift.putArray("previous");
            ArrayNode toPrevious = drift.putArray("to_previous");
            ArrayNode origin = drift.putArray("origin");
            ArrayNode toOrigin = drift.putArray("to_origin");
            for (Similarity x : s.similarities()) {
                sequence.add(x.sequence());
                lap.add(x.lap());
                if (x.previous().isPresent()) {
                    previous.add(x.previous().getAsInt());
                } else {
                    previous.addNull();
                }
                addNumber(toPrevious, x.toPrevious());
                origin.add(x.origin());
                addNumber(toOrigin, x.toOrigin());
            }
            DecayFit f = s.decay();
            ObjectNode fit = o.putObject("decay_fit");
            fit.put("amplitude", f.amplitude());
            fit.put("rate", f.rate());
            fit.put("floor", f.floor());
            fit.put("rmse", f.rmse());
            fit.put("points", f.points());
            SimilarityMatrix m = s.matrix();
            ObjectNode matrix = o.putObject("similarity_matrix");
            ArrayNode sequences = matrix.putArray("sequences");
            m.sequences().forEach(sequences::add);
            matrix.put("sampled", m.sampled());
            ArrayNode rows = matrix.putArray("values");
            for (int i = 0; i < m.size(); i++) {
                ArrayNode row = rows.addArray();
                for (int j = 0; j < m.size(); j++) {
                    row.add(m.get(i, j));
                }
            }
        }
        try {
            return CODEC.mapper().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new PanicException("could not encode the analysis of run '" + a.runId() + "' as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static void addNumber(ArrayNode array, java.util.OptionalDouble value) {
        if (value.isPresent()) {
            array.add(value.getAsDouble());
        } else {
            array.addNull();
        }
    }
}
