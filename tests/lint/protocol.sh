#!/bin/sh
# protocol.sh: every decision the sources cite ("docs/protocol.md,
# decision N", "decisions N and M") is a heading "## N." of
# docs/protocol.md, and none is cited by a name instead of its number.
# Run from the top of the tree (make lint).  Exit 1 on a dangling one.
DOC=docs/protocol.md
bad=0

# The comment text of a file on one line: " * " prefixes and line ends
# folded into spaces, so a citation broken over two lines still matches.
flat() {
	tr '\n' ' ' <"$1" | sed 's/[[:space:]]*\*[[:space:]]/ /g;
	    s/[[:space:]]*#[[:space:]]/ /g; s/[[:space:]][[:space:]]*/ /g'
}

for f in $(find carp agent exporters tests -type f \( -name '*.[ch]' \
    -o -name '*.sh' -o -name '*.py' -o -name '*.md' \) | sort); do
	cites=$(flat "$f" | grep -o 'docs/protocol\.md, decisions\{0,1\} [0-9][0-9]*\( and [0-9][0-9]*\)\{0,1\}')
	for n in $(printf '%s\n' "$cites" | grep -o '[0-9][0-9]*'); do
		if ! grep -q "^## $n\. " "$DOC"; then
			echo "protocol: $f cites decision $n, not in $DOC" >&2
			bad=1
		fi
	done
	if flat "$f" | grep -q 'docs/protocol\.md, "'; then
		echo "protocol: $f cites $DOC by a name: cite the decision's" \
		    "number" >&2
		bad=1
	fi
done

[ $bad -eq 0 ] && echo "protocol: ok (every cited decision is in $DOC)"
exit $bad
