package io.sekisho.policy.aws.resources;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.ParamSink;
import io.sekisho.policy.aws.wire.Params;
import io.sekisho.policy.aws.wire.Text;

/**
 * The resource accounts of query or form parameters (aws-wire-facts §5), fed one parameter at a
 * time so that a Query-protocol form is read in the same pass as its credential parameters
 * ({@link FormAccounts}): ARNs in every value outside the caller's data, account IDs in
 * account-naming fields (name parts such as {@code CreateVolumePermission.Add.1.UserId} or
 * {@code ValuesToAdd.member.1}), public shares, queue URLs and embedded policy documents. The
 * removal side of sharing calls is not evidence; EC2's legacy {@code OperationType=remove} form
 * lists removed accounts as plain {@code UserId.N}.
 */
final class ParamAccounts implements ParamSink {
    private final AccountSet out;
    /** Sharing-field accounts, kept apart until OperationType is known. */
    private @Nullable AccountSet shares;
    private boolean removal;
    private boolean malformed;

    ParamAccounts(AccountSet out) {
        this.out = out;
    }

    /** Every parameter of {@code text} into {@code out}; false when a name or value holds a bad escape. */
    static boolean scan(CharSequence text, AccountSet out) {
        ParamAccounts accounts = new ParamAccounts(out);
        Params p = Params.of(text);
        while (!accounts.malformed && p.next()) {
            accounts.param(p);
        }
        accounts.end();
        return !accounts.malformed;
    }

    /**
     * Reads the current parameter. A name or value with a bad escape makes the request malformed:
     * nothing after it is read, and the shares seen so far are not added.
     */
    @Override
    public void param(Params p) {
        malformed = malformed || !read(p);
    }

    /** After the last parameter: the shares count unless they were removals or a parameter was malformed. */
    @Override
    public void end() {
        if (!malformed && shares != null && !removal) {
            out.addAll(shares);
        }
    }

    /** Whether a parameter held a bad escape. */
    boolean malformed() {
        return malformed;
    }

    private boolean read(Params p) {
        CharSequence name = p.nameSource();
        if (p.nameMalformed() || name == null) {
            return false;
        }
        int kinds = nameKinds(name, p.nameFrom(), p.nameTo());
        if ((kinds & FieldKinds.SKIP) != 0) {
            return true;
        }
        CharSequence v = p.valueSource();
        if (v == null) {
            return false;
        }
        int from = p.valueFrom(v);
        int to = p.valueTo(v);
        if (p.nameEquals("OperationType")) {
            removal |= Text.equalsIgnoreCase(v, from, to, "remove");
        }
        if ((kinds & (FieldKinds.ACCOUNT | FieldKinds.PUBLIC)) != 0) {
            shares = shares == null ? new AccountSet() : shares;
            share(v, from, to, kinds, shares);
        }
        value(v, from, to, kinds, out);
        return true;
    }

    private static void share(CharSequence v, int from, int to, int kinds, AccountSet shares) {
        if ((kinds & FieldKinds.ACCOUNT) != 0) {
            shares.addIfAccount(v, from, to);
        }
        if ((kinds & FieldKinds.PUBLIC) != 0 && Text.equalsIgnoreCase(v, from, to, AwsWireFacts.PUBLIC_SHARE_VALUE)) {
            shares.add(AccountSet.EVERYONE);
        }
    }

    /** ARNs, queue URLs and embedded policy documents of one value (not its sharing fields). */
    private static void value(CharSequence v, int from, int to, int kinds, AccountSet out) {
        ArnScanner.scan(v, from, to, out);
        if ((kinds & FieldKinds.QUEUE) != 0) {
            ResourceAccountScanner.queueUrl(v, from, to, out);
        }
        int first = Text.skipSpaces(v, from, to);
        if (first < to && (v.charAt(first) == '{' || v.charAt(first) == '[')) {
            JsonScanner.scan(v, first, to, out); // a policy document as a parameter; not JSON is fine
        }
    }

    /** The kinds of the dot-separated parts of a parameter name, e.g. CreateVolumePermission.Add.1.UserId. */
    private static int nameKinds(CharSequence n, int from, int to) {
        int kinds = 0;
        int i = from;
        while (i <= to) {
            int dot = Text.indexOf(n, '.', i, to);
            int end = dot < 0 ? to : dot;
            kinds |= FieldKinds.of(n, i, end);
            i = end + 1;
        }
        return kinds;
    }
}
