# bash completion for shardsim (installed as share/bash-completion/completions/shardsim).
# Commands are listed here; each command's options are read from its own --help at completion
# time, so they never fall out of date.
_shardsim() {
  local cur prev words cword
  _init_completion 2>/dev/null || {
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD - 1]}"
    cword=$COMP_CWORD
  }
  local commands="run validate compare explain sweep merge report regions help"
  if ((cword == 1)); then
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
    return
  fi
  local command="${COMP_WORDS[1]}"
  if [[ $cur == -* ]]; then
    local options
    options="$(shardsim "$command" --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]*' | sort -u)"
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
    return
  fi
  case "$command" in
    regions) COMPREPLY=($(compgen -W "azure" -- "$cur")) ;;
    report | merge) COMPREPLY=($(compgen -d -- "$cur")) ;;
    *) COMPREPLY=($(compgen -f -- "$cur")) ;;
  esac
}
complete -o filenames -F _shardsim shardsim
