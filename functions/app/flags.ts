/** Where the compliance sweep leaves its findings per unit and round, for the master's status tab. */
export const FLAGS_FIELD = 'flags';
