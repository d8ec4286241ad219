import { MockLanguageModelV4 } from 'ai/test';

type Call = { toolName: string; input: Record<string, unknown> };
const usage = {
  inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 1, text: 1, reasoning: 0 },
};

/**
 * The AI SDK's own mock language model, scripted: step n makes the tool calls in `steps[n]` (or answers the text),
 * and every prompt it was given is kept, so a test can read the tool results that reached the model's next step.
 */
export function scriptedModel(steps: (Call[] | string)[]) {
  const prompts: unknown[][] = [];
  let step = 0;
  const model = new MockLanguageModelV4({
    doGenerate: async (options) => {
      prompts.push(options.prompt as unknown[]);
      const next = steps[step++] ?? 'done';
      if (typeof next === 'string') {
        return {
          content: [{ type: 'text', text: next }],
          finishReason: { unified: 'stop', raw: undefined },
          usage,
          warnings: [],
        };
      }
      return {
        content: next.map((call, i) => ({
          type: 'tool-call' as const,
          toolCallId: `call-${step}-${i}`,
          toolName: call.toolName,
          input: JSON.stringify(call.input),
        })),
        finishReason: { unified: 'tool-calls', raw: undefined },
        usage,
        warnings: [],
      };
    },
  });
  /** The tool results the model saw at the start of step `n` (from 0). */
  const toolResults = (n: number) =>
    (prompts[n] ?? [])
      .filter((message) => (message as { role: string }).role === 'tool')
      .flatMap(
        (message) => (message as { content: { toolName: string; output: { type: string; value: unknown } }[] }).content,
      );
  return { model, prompts, toolResults };
}
