package io.sekisho.policy.aws.resources;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.aws.request.QueryForm;

/**
 * The resource accounts of a Query-protocol form body, read by {@link ParamAccounts} in the
 * form's one pass ({@link QueryForm#tap}) beside its credential parameters and its Action. Tap
 * the form before the credential extraction reads it; tapped later, the form is read again for
 * the accounts alone, with the same result.
 */
public final class FormAccounts {
    private final QueryForm form;
    private final AccountSet accounts = new AccountSet();
    private final ParamAccounts reader = new ParamAccounts(accounts);

    private FormAccounts(QueryForm form) {
        this.form = form;
        form.tap(reader);
    }

    /** The accounts of {@code form}, read in its pass; null when there is no form. */
    public static @Nullable FormAccounts tapping(@Nullable QueryForm form) {
        return form == null ? null : new FormAccounts(form);
    }

    /** Adds the form's accounts to {@code out}; false when a parameter holds a bad escape. */
    public boolean into(AccountSet out) {
        form.readAlone();
        out.addAll(accounts);
        return !reader.malformed();
    }
}
