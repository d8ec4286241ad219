declare module '#opossum' {
  const CircuitBreaker: unknown;
  export default CircuitBreaker;
}
