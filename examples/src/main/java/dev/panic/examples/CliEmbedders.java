package dev.panic.examples;

import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.Network;
import dev.panic.Embedder;
import dev.panic.embeddings.OfflineEmbedders;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The command line's choice of embedders: the offline one for each modality a network outputs. */
final class CliEmbedders {
    private CliEmbedders() {
    }

    /** One offline embedder per output modality of the network, so none is loaded for nothing. */
    static List<Embedder> forNetwork(Network network) {
        Set<Modality> outputs = EnumSet.noneOf(Modality.class);
        for (Model m : network.models()) {
            outputs.add(m.output());
        }
        List<Embedder> embedders = new ArrayList<>();
        outputs.forEach(m -> embedders.add(OfflineEmbedders.forModality(m)));
        return embedders;
    }
}
