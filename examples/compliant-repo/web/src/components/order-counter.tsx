"use client"

import { useState } from "react"

export function OrderCounter() {
  const [count, setCount] = useState(0)
  return <button onClick={() => setCount(count + 1)}>Orders: {count}</button>
}
