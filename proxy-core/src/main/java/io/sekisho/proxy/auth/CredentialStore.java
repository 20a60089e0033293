package io.sekisho.proxy.auth;

/**
 * Where Basic credentials are checked: an htpasswd file or an LDAP directory. Called only on the
 * authentication executor; it may block (file, network). Never throws: a store that cannot
 * answer says so with AUTH_BACKEND_UNAVAILABLE.
 */
interface CredentialStore {
    /** The identity of {@code user} when {@code password} is theirs, else a denial with its reason. */
    AuthOutcome check(String user, String password);
}
