// The first event of an event stream, made to happen: the stream connects on the first next(), so `trigger` (one
// invocation, which the gateway streams as an event) is called every 200 ms until the event arrives. Null when none
// comes within `withinMs`. The stream is released either way.
export async function firstEventWhile(events, trigger, withinMs = 10_000) {
  const first = events.next();
  let received = null;
  const deadline = Date.now() + withinMs;
  while (!received && Date.now() < deadline) {
    await trigger();
    received = await Promise.race([first, new Promise((resolve) => setTimeout(() => resolve(null), 200))]);
  }
  await events.return?.();
  return received && !received.done ? received.value : null;
}
