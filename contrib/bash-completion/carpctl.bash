# bash completion for carpctl(8)                            -*- shell-script -*-
#
# Install as /usr/share/bash-completion/completions/carpctl.  VHIDs are
# completed from `carpctl status` on the endpoint the command line names
# (-s, -u, -t, --cacert, --cert, --key, or the CARPCTL_* variables).

_carpctl_vhids()
{
	local -a opts=()
	local i
	for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
		case ${COMP_WORDS[i]} in
		-s|-u|-t|--cacert|--cert|--key)
			opts+=("${COMP_WORDS[i]}" "${COMP_WORDS[i + 1]}") ;;
		esac
	done
	# "eth0: carp: MASTER vhid 1 advbase 1 advskew 0" -> 1 and eth0/1
	"${COMP_WORDS[0]}" "${opts[@]}" status 2>/dev/null |
	    awk '$2 == "carp:" && $4 == "vhid" {
		sub(":", "", $1); print $5; print $1 "/" $5 }' | sort -u
}

# The demotion ledger's entries but the engine's (link:, send-error:).
_carpctl_entries()
{
	local -a opts=()
	local i
	for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
		case ${COMP_WORDS[i]} in
		-s|-u|-t|--cacert|--cert|--key)
			opts+=("${COMP_WORDS[i]}" "${COMP_WORDS[i + 1]}") ;;
		esac
	done
	"${COMP_WORDS[0]}" "${opts[@]}" demotion 2>/dev/null |
	    awk '/^  / && $1 !~ /^(link|send-error):/ { print $1 }'
}

_carpctl()
{
	local cur prev words cword cmd i
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	case $prev in
	-s)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	-t|--cacert|--cert|--key)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	-u)
		COMPREPLY=($(compgen -W "http:// https://" -- "$cur"))
		return ;;
	-r|--reason|--for)
		return ;;
	esac

	# The command, if one was given already.
	cmd=
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-s|-u|-t|-r|--cacert|--cert|--key) ((i++)) ;;
		-*) ;;
		*) cmd=${words[i]}; break ;;
		esac
	done

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-s -u -t --cacert --cert --key -v --json -h --help -V --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "status why demote promote maintenance demotion" -- "$cur"))
		fi
		return
	fi

	case $cmd in
	status)
		COMPREPLY=($(compgen -W "-v --verbose --json -h --help" -- "$cur"))
		;;
	demote|promote)
		if [[ $cur == -* ]]; then
			if [[ $cmd == promote ]]; then
				COMPREPLY=($(compgen -W "-r --reason --force-master --json" -- "$cur"))
			else
				COMPREPLY=($(compgen -W "-r --reason --json" -- "$cur"))
			fi
		elif [[ ${words[cword - 1]} == "$cmd" ]]; then
			COMPREPLY=($(compgen -W "all $(_carpctl_vhids)" -- "$cur"))
		fi
		;;
	why)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--json -h --help" -- "$cur"))
		elif [[ ${words[cword - 1]} == why ]]; then
			COMPREPLY=($(compgen -W "$(_carpctl_vhids)" -- "$cur"))
		fi
		;;
	maintenance)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-r --reason --hold --json" -- "$cur"))
		elif [[ ${words[cword - 1]} == maintenance ]]; then
			COMPREPLY=($(compgen -W "on off" -- "$cur"))
		fi
		;;
	demotion)
		# demotion [list] | add NAME WEIGHT | del NAME | VALUE
		local sub= nargs=0
		for ((i = i + 1; i < cword; i++)); do
			case ${words[i]} in
			-s|-u|-t|-r|--reason|--for|--cacert|--cert|--key) ((i++)) ;;
			-*) ;;
			*) [[ -z $sub ]] && sub=${words[i]} || ((nargs++)) ;;
			esac
		done
		if [[ $cur == -* ]]; then
			case $sub in
			add) COMPREPLY=($(compgen -W "-r --reason --for --persist --json" -- "$cur")) ;;
			list|"") COMPREPLY=($(compgen -W "--json" -- "$cur")) ;;
			*) COMPREPLY=($(compgen -W "-r --reason --json" -- "$cur")) ;;
			esac
		elif [[ -z $sub ]]; then
			COMPREPLY=($(compgen -W "list add del" -- "$cur"))
		elif [[ $sub == del && $nargs == 0 ]]; then
			COMPREPLY=($(compgen -W "$(_carpctl_entries)" -- "$cur"))
		fi
		;;
	esac
}
complete -F _carpctl carpctl
