#!/bin/sh
# seedwatch plugin, per-document mode: counts the words of the document's text.
# Reads one request line on stdin, writes one response line on stdout (docs/PLUGINS.md).
# Needs only POSIX sh, sed, tr, wc; the JSON is read with sed, which is enough for the two
# fields used here (`id` is printed as sent; the text's escapes never join words).
set -eu
request=$(cat)
id=$(printf '%s' "$request" | sed -n 's/^{"document":.*},"id":"\([^"\\]*\)".*$/\1/p')
if [ -z "$id" ]; then
    echo "wordcount: no id in the request" >&2
    exit 1
fi
text=$(printf '%s' "$request" | sed -n 's/.*"text":"\(.*\)"},"id":.*/\1/p' | sed 's/\\[nrt]/ /g')
words=$(printf '%s' "$text" | tr -s '[:space:]' '\n' | grep -c . || true)
printf '{"id":"%s","result":{"words":%s}}\n' "$id" "$words"
