# completion/accord.bash — bash completion for accord: verbs, sub-verbs, each verb's
# options (read from `accord VERB [SUBVERB] --help` when first needed, so they stay true),
# the values of options that list them (--kind, --commitment, --algo, --level, ...),
# folders after folder options and files elsewhere.
# Installed as $(PREFIX)/share/bash-completion/completions/accord.

declare -gA _accord_help_cache 2>/dev/null || true

# The --help text of "accord ARGS...", run once per ARGS.
_accord_help()
{
	local key="$*"
	if [[ -z ${_accord_help_cache[$key]+set} ]]; then
		_accord_help_cache[$key]=$(command "$_accord_cmd" "$@" --help 2>/dev/null)
	fi
	printf '%s\n' "${_accord_help_cache[$key]}"
}

# The verbs (after "accord") or the sub-verbs of a group verb ("accord keys").
_accord_verbs()
{
	local text
	if [[ $# -eq 0 ]]; then
		text=$(_accord_help_cache_get_top)
		sed -n '/^Verbs:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p' <<<"$text"
		echo help
		return
	fi
	text=$(_accord_help "$1")
	{
		sed -n '/^Verbs:/,/^$/s/^  \([a-z][a-z0-9-]*\)  .*/\1/p' <<<"$text"
		grep -o "accord $1 [a-z][a-z0-9-]*" <<<"$text" | cut -d' ' -f3
	} | sort -u
}

_accord_help_cache_get_top()
{
	if [[ -z ${_accord_help_cache[__top]+set} ]]; then
		_accord_help_cache[__top]=$(command "$_accord_cmd" help 2>/dev/null)
	fi
	printf '%s\n' "${_accord_help_cache[__top]}"
}

_accord()
{
	local cur prev verb sub="" subs help values
	_accord_cmd=${COMP_WORDS[0]}
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	COMPREPLY=()

	# accord VERB, accord help VERB [SUBVERB]
	if [[ $COMP_CWORD -eq 1 ]]; then
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "--help --version" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$(_accord_verbs)" -- "$cur")
		fi
		return 0
	fi
	verb=${COMP_WORDS[1]}
	if [[ $verb == help ]]; then
		if [[ $COMP_CWORD -eq 2 ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$(_accord_verbs)" -- "$cur")
		elif [[ $COMP_CWORD -eq 3 ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$(_accord_verbs "${COMP_WORDS[2]}")" -- "$cur")
		fi
		return 0
	fi
	# A group verb (keys, tsa, ocsp, timestamp, tsl): its sub-verb comes first.
	subs=$(_accord_verbs "$verb")
	if [[ -n $subs ]]; then
		if [[ $COMP_CWORD -eq 2 ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$subs" -- "$cur")
			return 0
		fi
		sub=${COMP_WORDS[2]}
	fi

	help=$(_accord_help "$verb" ${sub:+"$sub"})
	if [[ $prev == -* ]]; then
		# Values the help lists: "--kind agreement|incident-report".
		values=$(grep -o -- "$prev \[*[a-z0-9][a-z0-9.+-]*\(|[a-z0-9][a-z0-9.+-]*\)\+" <<<"$help" |
			head -1 | sed 's/^[^ ]* \[*//' | tr '|' ' ')
		[[ $prev == --level ]] && values="LT LTA"
		if [[ -n $values ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$values" -- "$cur")
			return 0
		fi
		# extract -o/--out names a folder (-C and --directory are its old names)
		[[ $verb == extract && ( $prev == -o || $prev == --out ) ]] && prev=--dir
		case $prev in
		-C | --directory | --dir | --store | --tsa-dir | --ocsp-dir)
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -d -- "$cur")
			return 0
			;;
		esac
	fi
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(grep -o -- '--[a-z0-9][a-z0-9-]*[a-z0-9]' <<<"$help" | sort -u)" -- "$cur")
		return 0
	fi
	# Anything else is a file: a package, a document, a certificate, a key.
	compopt -o filenames 2>/dev/null
	mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	return 0
}

complete -F _accord accord
