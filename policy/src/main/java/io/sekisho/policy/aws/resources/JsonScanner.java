package io.sekisho.policy.aws.resources;

import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.JsonReader;
import io.sekisho.policy.aws.wire.JsonReader.Token;
import io.sekisho.policy.aws.wire.Text;

/**
 * Reads a JSON request body (JSON and REST-JSON protocols, S3 bucket policies) for resource
 * accounts without building a tree: every string outside the caller's data is searched for
 * ARNs; strings and numbers under account-naming keys ({@link AwsWireFacts#ACCOUNT_FIELDS}) that
 * are twelve digits are accounts; {@code QueueUrl} values give their owner; a string that is
 * itself a JSON document (a policy passed as a string) is read the same way, a bounded number
 * of levels deep. Values under data keys ({@link AwsWireFacts#PAYLOAD_FIELDS}: item values,
 * message bodies, log events) are skipped: a twelve-digit number or an ARN in data is not
 * evidence. String escapes are decoded first, so <code>"&#92;u0061rn:…"</code> is still an ARN.
 * Reads through the one {@link JsonReader}, leniently: a word AWS refuses is the service's
 * business; a broken structure or a bad escape in a string it reads is malformed.
 */
final class JsonScanner {
    private static final int F_ACCOUNT = FieldKinds.ACCOUNT;
    private static final int F_SKIP = FieldKinds.SKIP;
    private static final int F_PUBLIC = FieldKinds.PUBLIC;
    private static final int F_QUEUE = FieldKinds.QUEUE;

    private final JsonReader json;
    private final AccountSet out;
    private final int level;
    private boolean malformed;

    private JsonScanner(JsonReader json, AccountSet out, int level) {
        this.json = json;
        this.out = out;
        this.level = level;
    }

    /** Scans {@code s[from, to)}; false when it is not one JSON value (an empty body is fine). */
    static boolean scan(CharSequence s, int from, int to, AccountSet out) {
        return scan(s, from, to, out, 0);
    }

    private static boolean scan(CharSequence s, int from, int to, AccountSet out, int level) {
        if (Text.skipSpaces(s, from, to) == to) {
            return true;
        }
        JsonScanner j = new JsonScanner(JsonReader.lenient(s, from, to), out, level);
        j.value(j.json.next(), 0, 0);
        return !j.malformed && j.json.next() == Token.END;
    }

    private void value(Token t, int flags, int depth) {
        if (malformed || depth > AwsWireFacts.MAX_JSON_DEPTH) {
            malformed = true;
            return;
        }
        switch (t) {
            case BEGIN_OBJECT -> object(flags, depth);
            case BEGIN_ARRAY -> array(flags, depth);
            case STRING -> string(flags);
            case NUMBER -> number(flags);
            case TRUE, FALSE, NULL -> { }
            default -> malformed = true;
        }
    }

    private void object(int flags, int depth) {
        Token t;
        while (!malformed && (t = json.next()) != Token.END_OBJECT) {
            if (t != Token.NAME) {
                malformed = true;
                return;
            }
            int childFlags = keyFlags(flags);
            value(json.next(), childFlags, depth + 1);
        }
    }

    private void array(int flags, int depth) {
        Token t;
        while (!malformed && (t = json.next()) != Token.END_ARRAY) {
            value(t, flags, depth + 1);
        }
    }

    /** The flags for a member's value, from its name; data keys make the whole value skipped. */
    private int keyFlags(int parentFlags) {
        CharSequence key = json.source();
        int from = json.start();
        int to = json.limit();
        if (json.escaped()) {
            String decoded = json.decoded();
            if (decoded == null) {
                malformed = true;
                return 0;
            }
            key = decoded;
            from = 0;
            to = decoded.length();
        }
        if ((parentFlags & F_SKIP) != 0) {
            return F_SKIP;
        }
        int kinds = FieldKinds.of(key, from, to);
        return (kinds & F_SKIP) != 0 ? F_SKIP : kinds;
    }

    private void string(int flags) {
        if ((flags & F_SKIP) != 0) {
            return;
        }
        if (!json.escaped()) {
            text(json.source(), json.start(), json.limit(), flags);
            return;
        }
        String decoded = json.decoded();
        if (decoded == null) {
            malformed = true;
        } else {
            text(decoded, 0, decoded.length(), flags);
        }
    }

    private void text(CharSequence t, int from, int to, int flags) {
        ArnScanner.scan(t, from, to, out);
        if ((flags & F_ACCOUNT) != 0) {
            out.addIfAccount(t, from, to);
        }
        if ((flags & F_PUBLIC) != 0 && Text.equalsIgnoreCase(t, from, to, AwsWireFacts.PUBLIC_SHARE_VALUE)) {
            out.add(AccountSet.EVERYONE);
        }
        if ((flags & F_QUEUE) != 0) {
            ResourceAccountScanner.queueUrl(t, from, to, out);
        }
        int first = Text.skipSpaces(t, from, to);
        if (level < AwsWireFacts.MAX_EMBEDDED_DOCUMENTS && first < to
                && (t.charAt(first) == '{' || t.charAt(first) == '[')) {
            // A document inside a string (a policy): read it too; if it is not JSON, it is just text.
            scan(t, first, to, out, level + 1);
        }
    }

    /** A number (a twelve-digit one under an account key is an account; a negative one never). */
    private void number(int flags) {
        CharSequence s = json.source();
        if ((flags & (F_ACCOUNT | F_SKIP)) == F_ACCOUNT && Text.isDigit(s.charAt(json.start()))) {
            out.addIfAccount(s, json.start(), json.limit());
        }
    }
}
