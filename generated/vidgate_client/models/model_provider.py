from enum import StrEnum


class ModelProvider(StrEnum):
    ANTHROPIC = "anthropic"
    ARK = "ark"
    AZURE = "azure"
    BEDROCK = "bedrock"
    CEREBRAS = "cerebras"
    COHERE = "cohere"
    DASHSCOPE = "dashscope"
    DEEPSEEK = "deepseek"
    FAL = "fal"
    FIREWORKS = "fireworks"
    GEMINI = "gemini"
    GROQ = "groq"
    KLING = "kling"
    LOCAL = "local"
    LUMA = "luma"
    MINIMAX = "minimax"
    MISTRAL = "mistral"
    OLLAMA = "ollama"
    OPENAI = "openai"
    OPENROUTER = "openrouter"
    PERPLEXITY = "perplexity"
    REPLICATE = "replicate"
    RUNWARE = "runware"
    RUNWAY = "runway"
    VERTEX = "vertex"
    VLLM = "vllm"
    XAI = "xai"

    def __str__(self) -> str:
        return str(self.value)
