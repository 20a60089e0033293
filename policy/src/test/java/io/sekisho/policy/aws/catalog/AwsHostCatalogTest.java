package io.sekisho.policy.aws.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sekisho.policy.HostClass;
import io.sekisho.policy.HostClassifier.Classification;
import io.sekisho.policy.HostName;
import java.io.StringReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AwsHostCatalogTest {
    private static final AwsHostCatalog CATALOG = AwsHostCatalog.builtIn();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // --- API endpoints of every partition, FIPS and dual-stack
        "sts.amazonaws.com,                               AWS_API, amazonaws.com",
        "sts.us-east-1.amazonaws.com,                     AWS_API, amazonaws.com",
        "STS.US-EAST-1.AMAZONAWS.COM.,                    AWS_API, amazonaws.com",
        "kms-fips.us-gov-west-1.amazonaws.com,            AWS_API, amazonaws.com",
        "sts.us-east-1.api.aws,                           AWS_API, api.aws",
        "iam.global.api.aws,                              AWS_API, api.aws",
        "sts.cn-north-1.amazonaws.com.cn,                 AWS_API, amazonaws.com.cn",
        "sts.cn-north-1.api.amazonwebservices.com.cn,     AWS_API, api.amazonwebservices.com.cn",
        "sts.eusc-de-east-1.amazonaws.eu,                 AWS_API, amazonaws.eu",
        "sts.eusc-de-east-1.api.amazonwebservices.eu,     AWS_API, api.amazonwebservices.eu",
        "sts.us-iso-east-1.c2s.ic.gov,                    AWS_API, c2s.ic.gov",
        "sts.us-isob-east-1.sc2s.sgov.gov,                AWS_API, sc2s.sgov.gov",
        "sts.eu-isoe-west-1.cloud.adc-e.uk,               AWS_API, cloud.adc-e.uk",
        "sts.us-isof-south-1.csp.hci.ic.gov,              AWS_API, csp.hci.ic.gov",
        "vpce-0abc-xyz.s3.us-east-1.vpce.amazonaws.com,   AWS_API, vpce.amazonaws.com",
        // --- S3 forms
        "s3.amazonaws.com,                                AWS_API, s3.amazonaws.com",
        "corp-data-bucket.s3.amazonaws.com,               AWS_API, s3.amazonaws.com",
        "corp-data-bucket.s3.eu-west-1.amazonaws.com,     AWS_API, s3.eu-west-1.amazonaws.com",
        "b.s3.dualstack.us-west-2.amazonaws.com,          AWS_API, s3.dualstack.us-west-2.amazonaws.com",
        "b.s3-fips.us-gov-west-1.amazonaws.com,           AWS_API, s3-fips.us-gov-west-1.amazonaws.com",
        "b.s3-accelerate.amazonaws.com,                   AWS_API, s3-accelerate.amazonaws.com",
        "b.s3-us-west-2.amazonaws.com,                    AWS_API, s3-us-west-2.amazonaws.com",
        "b.s3.cn-north-1.amazonaws.com.cn,                AWS_API, s3.cn-north-1.amazonaws.com.cn",
        "mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com, AWS_API, accesspoint.s3-global.amazonaws.com",
        "base--use1-az4--x-s3.s3express-use1-az4.us-east-1.amazonaws.com, AWS_API, s3express-use1-az4.us-east-1.amazonaws.com",
        "partner-ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com, AWS_API, partner-ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com",
        // --- sign-in, console, Identity Center (including the three under amazonaws.com)
        "signin.aws.amazon.com,                           AWS_SIGNIN_CONSOLE, signin.aws.amazon.com",
        "eu-west-1.signin.aws.amazon.com,                 AWS_SIGNIN_CONSOLE, signin.aws.amazon.com",
        "123456789012.signin.aws.amazon.com,              AWS_SIGNIN_CONSOLE, signin.aws.amazon.com",
        "us-east-1.oauth.signin.aws,                      AWS_SIGNIN_CONSOLE, oauth.signin.aws",
        "d-1234567890.signin.aws,                         AWS_SIGNIN_CONSOLE, signin.aws",
        "signin.amazonaws-us-gov.com,                     AWS_SIGNIN_CONSOLE, signin.amazonaws-us-gov.com",
        "signin.amazonaws.cn,                             AWS_SIGNIN_CONSOLE, signin.amazonaws.cn",
        "eusc-de-east-1.signin.amazonaws-eusc.eu,         AWS_SIGNIN_CONSOLE, signin.amazonaws-eusc.eu",
        "console.aws.amazon.com,                          AWS_SIGNIN_CONSOLE, console.aws.amazon.com",
        "s3.console.aws.amazon.com,                       AWS_SIGNIN_CONSOLE, console.aws.amazon.com",
        "console.amazonaws-us-gov.com,                    AWS_SIGNIN_CONSOLE, console.amazonaws-us-gov.com",
        "console.amazonaws.cn,                            AWS_SIGNIN_CONSOLE, console.amazonaws.cn",
        "d-1234567890.awsapps.com,                        AWS_SIGNIN_CONSOLE, awsapps.com",
        "start.us-gov-home.awsapps.com,                   AWS_SIGNIN_CONSOLE, awsapps.com",
        "d-1234567890.awsapps.cn,                         AWS_SIGNIN_CONSOLE, awsapps.cn",
        "ssoins-abc.portal.us-west-2.app.aws,             AWS_SIGNIN_CONSOLE, app.aws",
        "ssoins-111111h2222j33pp.eu-west-1.portal.amazonaws.com, AWS_SIGNIN_CONSOLE, portal.amazonaws.com",
        "identitycenter.amazonaws.com,                    AWS_SIGNIN_CONSOLE, identitycenter.amazonaws.com",
        "identitycenter.us-gov.amazonaws.com,             AWS_SIGNIN_CONSOLE, identitycenter.us-gov.amazonaws.com",
        "portal.sso.us-east-1.amazonaws.com,              AWS_SIGNIN_CONSOLE, portal.sso.us-east-1.amazonaws.com",
        "oidc.eu-central-1.amazonaws.com,                 AWS_SIGNIN_CONSOLE, oidc.eu-central-1.amazonaws.com",
        "oidc.cn-north-1.amazonaws.com.cn,                AWS_SIGNIN_CONSOLE, oidc.cn-north-1.amazonaws.com.cn",
        "device.sso.us-east-1.amazonaws.com,              AWS_SIGNIN_CONSOLE, device.sso.us-east-1.amazonaws.com",
        // --- static content
        "a0.awsstatic.com,                                AWS_STATIC, awsstatic.com",
        // --- customer-hosted endpoints under AWS names
        "ec2-203-0-113-25.compute-1.amazonaws.com,        AWS_CUSTOMER_ENDPOINT, compute-1.amazonaws.com",
        "ec2-203-0-113-25.eu-west-1.compute.amazonaws.com, AWS_CUSTOMER_ENDPOINT, compute.amazonaws.com",
        "ec2-52-80-0-1.cn-north-1.compute.amazonaws.com.cn, AWS_CUSTOMER_ENDPOINT, compute.amazonaws.com.cn",
        "my-alb-1234.us-east-2.elb.amazonaws.com,         AWS_CUSTOMER_ENDPOINT, elb.amazonaws.com",
        "my-nlb-4e2d1f8bb2751e6a.elb.eu-central-1.amazonaws.com, AWS_CUSTOMER_ENDPOINT, elb.eu-central-1.amazonaws.com",
        "abc123.execute-api.us-east-1.amazonaws.com,      AWS_CUSTOMER_ENDPOINT, execute-api.us-east-1.amazonaws.com",
        "abcdefgh.lambda-url.us-east-1.on.aws,            AWS_CUSTOMER_ENDPOINT, lambda-url.us-east-1.on.aws",
        "something.else.on.aws,                           AWS_CUSTOMER_ENDPOINT, on.aws",
        "d111111abcdef8.cloudfront.net,                   AWS_CUSTOMER_ENDPOINT, cloudfront.net",
        "site.s3-website-us-east-1.amazonaws.com,         AWS_CUSTOMER_ENDPOINT, s3-website-us-east-1.amazonaws.com",
        "site.s3-website.eu-west-1.amazonaws.com,         AWS_CUSTOMER_ENDPOINT, s3-website.eu-west-1.amazonaws.com",
        "main.d1a2b3c4.amplifyapp.com,                    AWS_CUSTOMER_ENDPOINT, amplifyapp.com",
        "abc.us-east-1.awsapprunner.com,                  AWS_CUSTOMER_ENDPOINT, awsapprunner.com",
        "env.eba-xyz.us-east-1.elasticbeanstalk.com,      AWS_CUSTOMER_ENDPOINT, elasticbeanstalk.com",
        "abc.appsync-api.us-east-1.amazonaws.com,         AWS_CUSTOMER_ENDPOINT, appsync-api.us-east-1.amazonaws.com",
        "a1234.awsglobalaccelerator.com,                  AWS_CUSTOMER_ENDPOINT, awsglobalaccelerator.com",
        "search-dom-xyz.us-east-1.es.amazonaws.com,       AWS_CUSTOMER_ENDPOINT, es.amazonaws.com",
        "a1b2c3-ats.iot.us-east-1.amazonaws.com,          AWS_CUSTOMER_ENDPOINT, iot.us-east-1.amazonaws.com",
        "public.ecr.aws,                                  AWS_CUSTOMER_ENDPOINT, public.ecr.aws",
        // --- not AWS
        "example.com,                                     NOT_AWS, ''",
        "amazonaws.com.evil.example,                      NOT_AWS, ''",
        "notamazonaws.com,                                NOT_AWS, ''",
        "amazon.com,                                      NOT_AWS, ''",
        "aws.amazon.com.evil.example,                     NOT_AWS, ''",
        // --- AWS-owned names no row describes (issue 15 point 7)
        "aws.amazon.com,                                  AWS_UNKNOWN, aws.amazon.com",
        "newservice.aws.amazon.com,                       AWS_UNKNOWN, aws.amazon.com",
        "a.b.aws.amazon.com,                              AWS_UNKNOWN, aws.amazon.com",
        "repost.aws,                                      AWS_UNKNOWN, aws",
        "amazonaws.com,                                   AWS_UNKNOWN, amazonaws.com",
        "awsapps.com,                                     AWS_UNKNOWN, awsapps.com",
        "new.amazonaws.cn,                                AWS_UNKNOWN, amazonaws.cn",
        "x.amazonaws-us-gov.com,                          AWS_UNKNOWN, amazonaws-us-gov.com",
        "x.amazonwebservices.eu,                          AWS_UNKNOWN, amazonwebservices.eu",
        "us-east-1.oauth.signin.aws,                      AWS_SIGNIN_CONSOLE, oauth.signin.aws",
        "abc.lambda-url.us-east-1.on.aws,                 AWS_CUSTOMER_ENDPOINT, lambda-url.us-east-1.on.aws",
        "newservice.us-east-1.api.aws,                    AWS_API, api.aws",
    })
    void classifiesEachClassAndPartition(String host, HostClass expected, String suffix) {
        Classification c = CATALOG.classify(HostName.parse(host));
        assertThat(c.hostClass()).isEqualTo(expected);
        assertThat(c.suffix()).isEqualTo(suffix);
        if (expected == HostClass.NOT_AWS) {
            assertThat(c.source()).isEmpty();
        } else {
            assertThat(c.source()).as("every row names its source").isNotBlank();
        }
    }

    /** The most specific row wins whatever the order: these would be AWS_API under *.amazonaws.com. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "oidc.us-east-1.amazonaws.com,          AWS_SIGNIN_CONSOLE",
        "portal.sso.eu-west-1.amazonaws.com,    AWS_SIGNIN_CONSOLE",
        "device.sso.us-east-1.amazonaws.com,    AWS_SIGNIN_CONSOLE",
        "ap.portal.amazonaws.com,               AWS_SIGNIN_CONSOLE",
        "x.execute-api.us-east-1.amazonaws.com, AWS_CUSTOMER_ENDPOINT",
        "execute-api.us-east-1.amazonaws.com,   AWS_API",
        "iot.us-east-1.amazonaws.com,           AWS_API",
        "elasticloadbalancing.us-east-1.amazonaws.com, AWS_API",
        "123456789012.dkr-ecr.us-east-1.on.aws, AWS_API",
        "kinesis.us-east-1.amazonaws.com,       AWS_API",
    })
    void mostSpecificRowWins(String host, HostClass expected) {
        assertThat(CATALOG.classify(HostName.parse(host)).hostClass()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // host, account in host, bucket in host, region, service, s3, access point, registry
        "partner-ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com, 123456789012, '', us-west-2, s3, false, true, false",
        "my-ol-999988887777.s3-object-lambda.eu-west-1.amazonaws.com,    999988887777, '', eu-west-1, s3, false, true, false",
        "op-ap-999988887777.op-01ac5d28a6a232904.s3-outposts.us-west-2.amazonaws.com, 999988887777, '', us-west-2, s3, false, true, false",
        "mybucket.op-01ac5d28a6a232904.s3-outposts.us-west-2.amazonaws.com, '', mybucket, us-west-2, s3, true, false, false",
        "999988887777.dkr.ecr.us-east-1.amazonaws.com,                    999988887777, '', us-east-1, ecr, false, false, true",
        "999988887777.dkr-ecr.us-east-1.on.aws,                           999988887777, '', us-east-1, ecr, false, false, true",
        "corp-999988887777.d.codeartifact.us-east-1.amazonaws.com,        999988887777, '', us-east-1, codeartifact, false, false, false",
        "444455556666.ddb.us-east-1.amazonaws.com,                        444455556666, '', us-east-1, dynamodb, false, false, false",
        "111122223333.data-kinesis.us-east-1.amazonaws.com,               111122223333, '', us-east-1, kinesis, false, false, false",
        "111122223333.control-kinesis.us-east-1.amazonaws.com,            111122223333, '', us-east-1, kinesis, false, false, false",
        "111122223333.s3-control.us-east-1.amazonaws.com,                 111122223333, '', us-east-1, s3, false, false, false",
        "corp.data.bucket.s3.amazonaws.com,                               '', corp.data.bucket, '', s3, true, false, false",
        "corp-data-bucket.s3.us-east-1.amazonaws.com,                     '', corp-data-bucket, us-east-1, s3, true, false, false",
        "s3.eu-west-1.amazonaws.com,                                      '', '', eu-west-1, s3, true, false, false",
        "queue.amazonaws.com,                                             '', '', '', sqs, false, false, false",
        "eu-west-1.queue.amazonaws.com,                                   '', '', eu-west-1, sqs, false, false, false",
        "api.ecr.us-east-1.amazonaws.com,                                 '', '', us-east-1, ecr, false, false, false",
        "kms-fips.us-east-1.amazonaws.com,                                '', '', us-east-1, kms, false, false, false",
        "sts.amazonaws.com,                                               '', '', '', sts, false, false, false",
        "runtime.sagemaker.us-east-1.amazonaws.com,                       '', '', us-east-1, sagemaker-runtime, false, false, false",
    })
    void hostNamesRevealAccountBucketRegionAndService(String host, String account, String bucket, String region,
            String service, boolean s3, boolean accessPoint, boolean registry) {
        HostMatch m = CATALOG.match(HostName.parse(host));
        assertThat(m.hostClass()).isEqualTo(HostClass.AWS_API);
        assertThat(m.account()).isEqualTo(account);
        assertThat(m.bucket()).isEqualTo(bucket);
        assertThat(m.region()).isEqualTo(region);
        assertThat(m.service()).isEqualTo(service);
        assertThat(m.isS3()).isEqualTo(s3);
        assertThat(m.isS3AccessPoint()).isEqualTo(accessPoint);
        assertThat(m.isRegistry()).isEqualTo(registry);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // region-shaped labels must start with a known region family: these are not regions
        "b.s3-website-us-east-1.amazonaws.com, AWS_CUSTOMER_ENDPOINT",
        "s3-external-1.amazonaws.com,          AWS_API",
        "b.s3-fips.amazonaws.com,              AWS_API",
    })
    void regionPlaceholderOnlyMatchesRegions(String host, HostClass expected) {
        HostMatch m = CATALOG.match(HostName.parse(host));
        assertThat(m.hostClass()).isEqualTo(expected);
        if (host.startsWith("b.s3-fips")) {
            assertThat(m.isS3()).as("b.s3-fips.amazonaws.com has no region: only *.amazonaws.com").isFalse();
        }
    }

    @Test
    void ipLiteralsAreNeverAws() {
        assertThat(CATALOG.classify(HostName.parse("52.216.0.1")).hostClass()).isEqualTo(HostClass.NOT_AWS);
        assertThat(CATALOG.classify(HostName.parse("[2600:1f18::1]")).hostClass()).isEqualTo(HostClass.NOT_AWS);
    }

    @Test
    void builtInCatalogIsVersionedAndEveryRowClassifiesItsOwnExample() {
        assertThat(CATALOG.version()).matches("\\d{4}\\.\\d{2}\\.\\d{2}-\\d+");
        assertThat(CATALOG.patterns()).hasSizeGreaterThan(100).doesNotHaveDuplicates();
        for (String pattern : CATALOG.patterns()) {
            String example = pattern.replace("{bucket}", "bucket").replace("*.", "x.")
                    .replace("{region}", "us-east-1").replace("{acct}", "123456789012").replace("{*}", "zz");
            HostMatch m = CATALOG.match(HostName.parse(example));
            assertThat(m.pattern()).as(example).isEqualTo(pattern);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        // host,                                       path,                                   protocols,  data plane
        "sts.amazonaws.com,                            /,                                      QUERY,      false",
        "sts.us-east-1.amazonaws.com,                  /2015-03-31/functions/f/invocations,    QUERY,      false",
        "sqs.us-east-1.amazonaws.com,                  /invoke,                                QUERY JSON, false",
        "queue.amazonaws.com,                          /,                                      QUERY JSON, false",
        "kms-fips.us-east-1.amazonaws.com,             /,                                      JSON,       false",
        "lambda.us-east-1.amazonaws.com,               /2015-03-31/functions/f/invocations,    REST_JSON,  true",
        "lambda.us-east-1.api.aws,                     /2015-03-31/functions/f/invocations,    REST_JSON,  true",
        "lambda.us-east-1.amazonaws.com,               /2015-03-31/functions/f/invocations/,   REST_JSON,  false",
        "lambda.us-east-1.amazonaws.com,               /2015-03-31/functions//invocations,     REST_JSON,  false",
        "lambda.us-east-1.amazonaws.com,               /2015-03-31/functions/./invocations,    REST_JSON,  false",
        "lambda.us-east-1.amazonaws.com,               /2015-03-31/Functions/f/invocations,    REST_JSON,  false",
        "lambda.us-east-1.amazonaws.com,               /2014-11-13/functions/f/invoke-async/,  REST_JSON,  true",
        "lambda.us-east-1.amazonaws.com,               /2014-11-13/functions/f/invoke-async,   REST_JSON,  false",
        "bedrock-runtime.us-east-1.amazonaws.com,      /model/m/converse,                      REST_JSON,  true",
        "bedrock-runtime.us-east-1.amazonaws.com,      /model/m/converse/x,                    REST_JSON,  false",
        "runtime.sagemaker.eu-west-1.amazonaws.com,    /endpoints/e/invocations,               REST_JSON,  true",
        "newsvc.us-east-1.amazonaws.com,               /model/m/invoke,                        '',         false",
    })
    void serviceLinesSayTheProtocolAndTheDataPlanePaths(String host, String path, String protocols, boolean dataPlane) {
        ServiceProfile p = CATALOG.match(HostName.parse(host)).profile();
        assertThat(p.protocols()).containsExactlyInAnyOrderElementsOf(protocols.isEmpty() ? java.util.List.of()
                : java.util.Arrays.stream(protocols.split(" ")).map(ServiceProfile.Protocol::valueOf).toList());
        assertThat(p.isDataPlane(path)).isEqualTo(dataPlane);
    }

    @Test
    void serviceLineErrorsNameTheLine() {
        String head = "version 1\nregions us\n";
        assertThatThrownBy(() -> AwsHostCatalog.parse(new StringReader(head + "service x soap R1\n"), "a.txt"))
                .hasMessageContaining("a.txt:3").hasMessageContaining("soap");
        assertThatThrownBy(() -> AwsHostCatalog.parse(new StringReader(head + "service x json R1\nservice x query R1\n"), "b.txt"))
                .hasMessageContaining("b.txt:4").hasMessageContaining("duplicate service");
        assertThatThrownBy(() -> AwsHostCatalog.parse(new StringReader(head + "service x json /a/{name}/b R1\n"), "c.txt"))
                .hasMessageContaining("c.txt:3").hasMessageContaining("{name}");
        assertThatThrownBy(() -> AwsHostCatalog.parse(new StringReader(head + "service x json\n"), "d.txt"))
                .hasMessageContaining("d.txt:3");
    }

    @Test
    void catalogErrorsNameTheLine() {
        String text = "version 1\nregions us\n*.example.com AWS_API - ok\n*.example.com AWS_API - again\n";
        assertThatThrownBy(() -> AwsHostCatalog.parse(new StringReader(text), "t.txt"))
                .hasMessageContaining("t.txt:4").hasMessageContaining("duplicate");
        assertThatThrownBy(() -> AwsHostCatalog.parse(new StringReader("version 1\nregions us\nx.{nope}.com AWS_API - s\n"), "u.txt"))
                .hasMessageContaining("u.txt:3").hasMessageContaining("{nope}");
        assertThatThrownBy(() -> AwsHostCatalog.parse(new StringReader("version 1\nregions us\nx.com NOT_AWS - s\n"), "v.txt"))
                .hasMessageContaining("v.txt:3");
        assertThatThrownBy(() -> AwsHostCatalog.parse(new StringReader("x.com AWS_API - s\n"), "w.txt"))
                .hasMessageContaining("w.txt:1");
    }
}
