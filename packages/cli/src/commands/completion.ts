import type { Command } from 'commander';
import type { ActionContext } from '../main';
import { UsageError } from '../usage-error';

/** A completion script for the shell, made from the program's own commands and options. */
export async function run(context: ActionContext): Promise<void> {
  const shell = String(context.args[0]);
  let root: Command = context.command;
  while (root.parent) root = root.parent;
  const commands = root.commands.filter((command) => command.name() !== 'help');
  const subcommands = (command: Command) => command.commands.map((sub) => sub.name());
  const options = (command: Command) => command.options.map((option) => option.long).filter(Boolean) as string[];
  const global = options(root);
  let script: string;
  if (shell === 'bash' || shell === 'zsh') {
    const cases = commands
      .map((command) => {
        const words = [...subcommands(command), ...options(command), ...command.commands.flatMap(options), ...global];
        return `    ${command.name()}) COMPREPLY=($(compgen -W "${[...new Set(words)].join(' ')}" -- "$cur")) ;;`;
      })
      .join('\n');
    const topLevel = [...commands.map((command) => command.name()), ...global].join(' ');
    const bash = [
      '_sark() {',
      '  local cur=${COMP_WORDS[COMP_CWORD]}',
      '  if [ "$COMP_CWORD" -eq 1 ]; then',
      `    COMPREPLY=($(compgen -W "${topLevel}" -- "$cur"))`,
      '    return',
      '  fi',
      '  case "${COMP_WORDS[1]}" in',
      cases,
      '  esac',
      '}',
      'complete -F _sark sark',
    ].join('\n');
    script = shell === 'zsh' ? `autoload -U +X bashcompinit && bashcompinit\n${bash}` : bash;
  } else if (shell === 'fish') {
    const described = (command: Command) => `-d '${command.description().replace(/'/g, '')}'`;
    const lines = commands.map(
      (command) => `complete -c sark -n '__fish_use_subcommand' -a ${command.name()} ${described(command)}`,
    );
    for (const command of commands) {
      for (const sub of command.commands) {
        lines.push(
          `complete -c sark -n '__fish_seen_subcommand_from ${command.name()}' -a ${sub.name()} ${described(sub)}`,
        );
      }
    }
    for (const option of global) lines.push(`complete -c sark -l ${option.slice(2)}`);
    script = lines.join('\n');
  } else {
    throw new UsageError(`no completion for "${shell}": bash, zsh or fish`);
  }
  process.stdout.write(`${script}\n`);
}
