package io.sekisho.policy.aws.request;

import io.sekisho.policy.aws.CorpusFixture;
import io.sekisho.policy.aws.wire.Text;
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

/**
 * The S3 POST form parse alone, beside the parser it replaced ({@link PostFormReference}): the
 * part of {@code AwsInspectionBenchmark}'s POST-form case that the form itself costs. Run like
 * that benchmark (docs/aws-policy.md), with {@code PostFormBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class PostFormBenchmark {
    @Param({"curl/s3-presigned-post-s3v4-boto3--01.json"})
    public String fixture;
    private java.nio.ByteBuffer body;
    private String boundary;

    @Setup
    public void setUp() {
        CorpusFixture f = CorpusFixture.named(fixture);
        body = f.facts().body();
        boundary = Text.headerParameter(f.facts().headers().get("Content-Type"), "boundary");
    }

    @Benchmark
    public PostForm parse() {
        return PostForm.parse(Text.latin1(body), boundary);
    }

    @Benchmark
    public PostFormReference parseBefore() {
        return PostFormReference.parse(Text.latin1(body), boundary);
    }
}
