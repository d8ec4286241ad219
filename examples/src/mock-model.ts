// A stand-in for a real model, for the examples: the AI SDK's own mock language model, scripted to call a tool in
// its first step and to answer with what the tool returned in its second. Swap in any AI SDK model (openai('…'),
// anthropic('…')) and the rest of the agent stays the same.
import { MockLanguageModelV4 } from 'ai/test';

const usage = {
  inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 0, text: 0, reasoning: 0 },
};

export function scriptedModel(toolName: string, input: Record<string, unknown>) {
  let step = 0;
  return new MockLanguageModelV4({
    doGenerate: async ({ prompt }) => {
      if (step++ === 0) {
        const call = { type: 'tool-call' as const, toolCallId: 'call-1', toolName, input: JSON.stringify(input) };
        return { content: [call], finishReason: { unified: 'tool-calls', raw: undefined }, usage, warnings: [] };
      }
      const results = prompt.filter((message) => message.role === 'tool').flatMap((message) => message.content);
      const text = `The tool said: ${JSON.stringify(results.map((part) => ('output' in part ? part.output : part)))}`;
      return {
        content: [{ type: 'text', text }],
        finishReason: { unified: 'stop', raw: undefined },
        usage,
        warnings: [],
      };
    },
  });
}
