package io.sekisho.policy.aws.bench;

import io.sekisho.policy.Answer;
import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Exchange;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.HostClassifier.Classification;
import io.sekisho.policy.Need;
import io.sekisho.policy.PolicyEngine;
import io.sekisho.policy.PolicySettings;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.aws.AwsApiInspector;
import io.sekisho.policy.aws.catalog.AwsHostCatalog;
import io.sekisho.policy.aws.CorpusFixture;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.aws.Settings;
import io.sekisho.policy.domain.DomainPattern;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The AWS inspection path per request, on representative corpus requests: what the proxy calls
 * for every intercepted AWS API request ({@code bodyNeed}, then {@code decide}: credential
 * extraction, account resolution, resource scan, decision and evidence), and the host catalog
 * lookup it makes per CONNECT. Target: at most 2 µs and 2 KiB allocated per request.
 *
 * <p>Run (see docs/aws-policy.md): {@code mvn -q -pl policy test-compile
 * dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp}, then
 * {@code java -cp policy/target/test-classes:policy/target/classes:$(cat policy/target/bench.cp)
 * io.sekisho.policy.aws.bench.AwsInspectionBenchmark}. Arguments, if any, are passed to JMH
 * instead of the defaults (e.g. {@code -p fixture=awscli-v1/kms-encrypt--01.json -prof gc}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class AwsInspectionBenchmark {

    /** Header-only S3 upload, SQS JSON, STS form, presigned PUT, S3 POST form, KMS JSON with an ARN, EC2 form. */
    @Param({
        "awscli-v1/s3-cp-upload-small--01.json",
        "awscli-v2/sqs-send-message--01.json",
        "awscli-v1/sts-assume-role-cross-account--01.json",
        "curl/s3-presigned-put-boto3--01.json",
        "curl/s3-presigned-post-s3v4-boto3--01.json",
        "awscli-v1/kms-encrypt--01.json",
        "awscli-v1/ec2-describe-instances--01.json",
    })
    public String fixture;

    private RequestFacts facts;
    private AwsApiInspector inspector;
    private AwsHostCatalog catalog;
    private PolicyEngine engine;
    private Exchange head;
    private Decision tunnel;

    @Setup
    public void setUp() {
        facts = CorpusFixture.named(fixture).facts();
        catalog = AwsHostCatalog.builtIn();
        inspector = new AwsApiInspector(Settings.BASE, Settings.BODY_LIMIT, catalog, KeyLookup.NONE);
        PolicySettings settings = new PolicySettings(io.sekisho.policy.Mode.ENFORCE,
                List.of(DomainPattern.parse(".amazonaws.com")), List.of(), Set.of(443), Set.of(80), List.of(), false,
                Settings.BODY_LIMIT, Settings.BASE);
        engine = new PolicyEngine(settings, catalog, List.of(inspector));
        tunnel = Decision.allow(Reason.DOMAIN_ALLOWED, ".amazonaws.com").withIntercept(true);
        RequestFacts headOnly = new RequestFacts(facts.id(), facts.client(), facts.method(), facts.scheme(),
                facts.host(), facts.port(), facts.path(), facts.query(), facts.headers(), null, false, facts.host());
        head = Exchange.request(headOnly, facts.body() != null && facts.body().hasRemaining(), false, tunnel);
    }

    @Benchmark
    public Decision inspect(Blackhole bh) {
        BodyNeed need = inspector.bodyNeed(facts, HostClass.AWS_API);
        bh.consume(need);
        return inspector.decide(facts, HostClass.AWS_API);
    }

    /**
     * The whole conversation as the gate holds it for an intercepted request (issue 10 point 9):
     * the head, the body when asked for, the decision, combined with the tunnel's.
     */
    @Benchmark
    public Answer converse() {
        Answer a = engine.decide(head);
        if (a instanceof Need.RequestBody) {
            a = engine.decide(head.withRequestBody(facts.body(), facts.bodyComplete()));
        }
        return a;
    }

    @Benchmark
    public Classification classifyHost() {
        return catalog.classify(facts.host());
    }

    public static void main(String[] args) throws RunnerException, java.io.IOException {
        if (args.length > 0) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        new Runner(new OptionsBuilder()
                .include(AwsInspectionBenchmark.class.getName())
                .addProfiler(GCProfiler.class)
                .build()).run();
    }
}
