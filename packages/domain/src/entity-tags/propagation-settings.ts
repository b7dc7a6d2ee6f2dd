/** Above `syncFanOutLimit` sessions, a contact's tag reaches its sessions in a background job. */
export type PropagationSettings = { syncFanOutLimit: number };

export const defaultPropagationSettings: PropagationSettings = { syncFanOutLimit: 5000 };
