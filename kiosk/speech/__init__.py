"""Speech: read-aloud engines (espeak-ng, speech-dispatcher, recordings, simulated) and the read-aloud
control (`ui`).
"""
