package dev.panic.internal.rules;

import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.Network;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Prediction;
import dev.panic.Spec;
import dev.panic.StopReason;
import dev.panic.StopRule;
import dev.panic.Template;
import dev.panic.Verdict;
import dev.panic.exception.ValidationException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A language model asked, after each output, whether the run has reached its mark; the run stops
 * when its answer matches {@code stopWhen}. See {@link StopRule#judge(Model, String)}.
 */
final class JudgeRule implements StopRule {

    static final String NAME = "judge";
    private static final Logger LOG = LoggerFactory.getLogger(JudgeRule.class);

    private final Model judge;
    private final Template template;
    private final Pattern stopWhen;
    private final String node;

    JudgeRule(Model judge, Template template, String stopWhen, String node) {
        if (judge == null || template == null) {
            throw new ValidationException("a judge needs a model and a template");
        }
        if (judge.output() != Modality.TEXT) {
            throw new ValidationException("the judge '" + judge.id() + "' answers in " + judge.output()
                    + "; a judge must answer in text");
        }
        try {
            this.stopWhen = Pattern.compile(stopWhen);
        } catch (PatternSyntaxException e) {
            throw new ValidationException("the judge's stop pattern '" + stopWhen + "' is not a regular expression: "
                    + e.getDescription());
        }
        if (node != null && node.isBlank()) {
            throw new ValidationException("the judge's node is blank; give the id of the node whose outputs it judges,"
                    + " or none to judge every output");
        }
        this.judge = judge;
        this.template = template;
        this.node = node;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Spec spec() {
        Parameters settings = Parameters.of("model", judge.id().toString()).with("template", template.text())
                .with("stop_when", stopWhen.pattern());
        if (!judge.parameters().isEmpty()) {
            settings = settings.with("parameters", judge.parameters().asMap());
        }
        if (node != null) {
            settings = settings.with("node", node);
        }
        return Spec.of(NAME, settings);
    }

    @Override
    public Check start(Network network) {
        return start(network, null);
    }

    @Override
    public Check start(Network network, Payload initialInput) {
        if (node != null && network != null && !network.hasNode(node)) {
            throw new ValidationException("the judge judges the outputs of node '" + node
                    + "', which the network does not have; its nodes are "
                    + String.join(", ", network.nodes().stream().map(Network.Node::id).toList()));
        }
        return new Judging(initialInput);
    }

    @Override
    public String toString() {
        return spec().toString();
    }

    private final class Judging implements AsyncCheck {
        private final Payload initial;

        Judging(Payload initial) {
            this.initial = initial;
        }

        @Override
        public String rule() {
            return NAME;
        }

        @Override
        public CompletableFuture<Judgement> judge(Prediction p, Duration elapsed) {
            if (node != null && !node.equals(p.node())) {
                return CompletableFuture.completedFuture(new Judgement(null, null));
            }
            Payload output = p.output();
            String shown = output instanceof Payload.Text t ? t.text() : output.summary(200);
            String prompt = template.render(new Template.Context() {
                @Override
                public String input() {
                    return shown;
                }

                @Override
                public String initial() {
                    return initial instanceof Payload.Text t ? t.text() : initial == null ? "" : initial.summary(200);
                }

                @Override
                public List<String> last(String node, int count) {
                    return List.of();
                }

                @Override
                public int step() {
                    return p.sequence();
                }
            });
            CompletableFuture<dev.panic.ModelOutput> call;
            try {
                call = judge.input() == output.modality() && output.modality() != Modality.TEXT
                        ? judge.invokeAsync(output, Parameters.of("prompt", prompt))
                        : judge.invokeAsync(Payload.text(prompt), Parameters.empty());
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            return call.handle((out, error) -> {
                if (error != null) {
                    LOG.warn("judge '{}' could not judge output {}: {}", judge.id(), p.sequence(), error.toString());
                    return new Judgement(null, new Verdict(NAME, false, "(no verdict: " + error.getMessage() + ")",
                            judge.id()));
                }
                String answer = out.payload() instanceof Payload.Text t ? t.text().strip() : out.payload().summary(200);
                boolean stop = stopWhen.matcher(answer).find();
                Verdict verdict = new Verdict(NAME, stop, answer, judge.id());
                return new Judgement(stop ? StopReason.of(NAME, "judge " + judge.id() + " said: " + answer,
                        p.sequence()) : null, verdict);
            });
        }
    }
}
