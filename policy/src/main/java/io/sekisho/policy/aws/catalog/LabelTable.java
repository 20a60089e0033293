package io.sekisho.policy.aws.catalog;

import io.sekisho.policy.Nullable;

/**
 * A tiny open-addressing map from a label to a value, looked up by a slice of a host string so
 * that walking the catalog trie does not allocate a substring per label. Built once, read-only
 * afterwards (safe to share between threads once published by a final field).
 */
final class LabelTable<V> {
    private String[] keys = new String[8];
    private Object[] values = new Object[8];
    private int size;

    @Nullable V get(String s, int from, int to) {
        int mask = keys.length - 1;
        for (int i = hash(s, from, to) & mask; ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null) {
                return null;
            }
            if (k.length() == to - from && k.regionMatches(0, s, from, to - from)) {
                @SuppressWarnings("unchecked")
                V v = (V) values[i];
                return v;
            }
        }
    }

    @Nullable V get(String key) {
        return get(key, 0, key.length());
    }

    void put(String key, V value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = hash(key, 0, key.length()) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == null) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
            if (keys[i].equals(key)) {
                values[i] = value;
                return;
            }
        }
    }

    private void grow() {
        String[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new String[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                @SuppressWarnings("unchecked")
                V v = (V) oldValues[i];
                put(oldKeys[i], v);
            }
        }
    }

    private static int hash(String s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h ^ (h >>> 16);
    }
}
