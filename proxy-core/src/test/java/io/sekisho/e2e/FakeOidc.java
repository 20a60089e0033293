package io.sekisho.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * IAM Identity Center OIDC ({@code oidc.<region>.amazonaws.com}, JSON, no SigV4; aws-wire-facts
 * §3.3): RegisterClient, StartDeviceAuthorization, CreateToken and the authorize redirect. The
 * {@code startUrl} / {@code issuerUrl} fields the proxy checks are only read by the proxy, never here.
 */
final class FakeOidc {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeOidc() {
    }

    static FakeResponse handle(RecordedRequest request, String region, SecureRandom random, Clock clock) {
        if (request.method().equals("GET") && request.path().equals("/authorize")) {
            return authorize(request.query(), random);
        }
        JsonNode input;
        try {
            input = request.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(request.body());
        } catch (IOException e) {
            return json(400, "{\"error\":\"invalid_request\",\"error_description\":\"body is not JSON\"}");
        }
        long now = clock.instant().getEpochSecond();
        ObjectNode out = JSON.createObjectNode();
        switch (request.path()) {
            case "/client/register" -> out.put("clientId", token(random, 16)).put("clientSecret", token(random, 48))
                    .put("clientIdIssuedAt", now).put("clientSecretExpiresAt", now + Duration.ofDays(90).toSeconds());
            case "/device_authorization" -> {
                String userCode = "SEKI-" + String.format("%04d", Math.floorMod(random.nextInt(), 10000));
                String verification = "https://device.sso." + region + ".amazonaws.com/";
                out.put("deviceCode", token(random, 32)).put("userCode", userCode).put("verificationUri", verification)
                        .put("verificationUriComplete", verification + "?user_code=" + userCode)
                        .put("expiresIn", 600).put("interval", 1);
            }
            case "/token" -> out.put("accessToken", token(random, 64)).put("tokenType", "Bearer")
                    .put("expiresIn", 28800).put("refreshToken", token(random, 64));
            default -> {
                return json(404, "{\"error\":\"not_found\"}");
            }
        }
        return json(200, out.toString());
    }

    /** Authorization-code flow (AWS CLI v2 default): straight back to the loopback redirect. */
    private static FakeResponse authorize(Map<String, String> query, SecureRandom random) {
        String redirect = query.getOrDefault("redirect_uri", "");
        if (!redirect.startsWith("http://127.0.0.1")) {
            return json(400, "{\"error\":\"invalid_request\",\"error_description\":\"redirect_uri\"}");
        }
        return FakeResponse.redirect(redirect + (redirect.contains("?") ? "&" : "?") + "code=" + token(random, 24)
                + "&state=" + URLEncoder.encode(query.getOrDefault("state", ""), StandardCharsets.UTF_8));
    }

    private static String token(SecureRandom random, int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static FakeResponse json(int status, String body) {
        return FakeResponse.json(status, "application/json", body);
    }
}
