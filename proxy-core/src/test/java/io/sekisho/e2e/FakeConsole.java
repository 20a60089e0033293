package io.sekisho.e2e;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS Management Console on {@code console.aws.amazon.com} and
 * {@code <region>.console.aws.amazon.com}: one page whose title names the signed-in account, read
 * from the {@code aws-userInfo} cookie {@link FakeSignin} set. The e2e tests assert on that title:
 * "AWS Console — account 111122223333".
 */
final class FakeConsole {

    private static final Pattern ARN = Pattern.compile("\"arn\"\\s*:\\s*\"([^\"]*)\"");

    static boolean serves(String host) {
        return host.equals("console.aws.amazon.com") || host.endsWith(".console.aws.amazon.com");
    }

    FakeResponse handle(RecordedRequest request) {
        if (request.path().equals("/favicon.ico")) {
            return FakeResponse.empty(404);
        }
        String arn = request.cookie(SigninWireShapes.USER_INFO_COOKIE)
                .map(value -> URLDecoder.decode(value, StandardCharsets.UTF_8))
                .map(ARN::matcher).filter(Matcher::find).map(m -> m.group(1)).orElse("");
        String[] parts = arn.split(":");
        String title = parts.length > 4 ? "AWS Console — account " + parts[4] : "AWS Console — not signed in";
        String host = request.host();
        String region = host.endsWith(".console.aws.amazon.com") ? host.substring(0, host.indexOf('.')) : "global";
        return HtmlPages.page("console.html", Map.of("title", title, "arn", arn, "region", region));
    }
}
